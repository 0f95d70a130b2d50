import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np
import pytest

import gatedjax as gj

from .helpers import couplings_np, np_jacobian_blocks, np_vector_field, random_params_np


def _net(seed, n):
    rng = np.random.default_rng(seed)
    p = random_params_np(rng)
    Js = couplings_np(rng, n)
    return rng, p, Js, gj.GatedParams(**p), gj.Couplings(*map(jnp.asarray, Js))


def test_jacobian_matches_hand_derived_blocks_and_finite_differences():
    rng, p, Js, params, couplings = _net(0, 15)
    y = rng.standard_normal((3, 15))
    D = np.asarray(gj.jacobian(params, couplings, jnp.asarray(y)))
    np.testing.assert_allclose(D, np_jacobian_blocks(y, p, *Js), rtol=1e-11, atol=1e-12)
    # central differences of the NumPy field: truncation O(eps^2) ~ 1e-10, roundoff ~ 1e-11.
    eps = 1e-5
    fd = np.zeros_like(D)
    for k in range(45):
        e = np.zeros(45)
        e[k] = eps
        fp = np_vector_field((y.ravel() + e).reshape(3, 15), p, *Js).ravel()
        fm = np_vector_field((y.ravel() - e).reshape(3, 15), p, *Js).ravel()
        fd[:, k] = (fp - fm) / (2 * eps)
    np.testing.assert_allclose(D, fd, atol=1e-8)


def test_matrix_free_operator_matches_dense():
    rng, _, _, params, couplings = _net(1, 12)
    y = jnp.asarray(rng.standard_normal((3, 12)))
    v = jnp.asarray(rng.standard_normal(36))
    op = gj.jacobian_operator(params, couplings, y)
    np.testing.assert_allclose(op.mv(v), gj.jacobian(params, couplings, y) @ v, rtol=1e-12,
                               atol=1e-13)
    np.testing.assert_allclose(op.as_matrix(), gj.jacobian(params, couplings, y), atol=1e-13)


def test_eigvals_device_and_host_agree_with_numpy():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((3, 20, 20))
    want = np.sort_complex(np.linalg.eigvals(A))
    for method in ("device", "host"):
        got = np.asarray(gj.eigvals(jnp.asarray(A), method=method))
        assert np.all(np.diff(got.real, axis=-1) <= 1e-12)  # sorted by decreasing real part
        np.testing.assert_allclose(np.sort_complex(got), want, atol=1e-10)
    got = jax.vmap(lambda a: gj.eigvals(a, method="host"))(jnp.asarray(A))
    np.testing.assert_allclose(np.sort_complex(np.asarray(got)), want, atol=1e-10)
    with pytest.raises(ValueError, match="method"):
        gj.eigvals(jnp.asarray(A), method="gpu")


def test_zero_fixed_point_spectrum():
    # beta = 0: y = 0 is a fixed point; the Jacobian is block triangular there, with the h block
    # sigma_z(0)(-1 + g sigma_r(0) J^h) (a disk, circular law) and exact -1/tau_z, -1/tau_r.
    n = 300
    couplings = gj.sample_couplings(jr.key(3), n)
    params = gj.GatedParams(g_h=1.5, alpha_z=2.0, alpha_r=3.0, tau_z=0.25, tau_r=0.2)
    ev = np.asarray(gj.jacobian_spectrum(params, couplings, jnp.zeros((3, n))))
    assert np.sum(np.abs(ev + 4.0) < 1e-8) == n
    assert np.sum(np.abs(ev + 5.0) < 1e-8) == n
    h = ev[(np.abs(ev + 4.0) > 1e-8) & (np.abs(ev + 5.0) > 1e-8)]
    center, radius = -0.5, 0.5 * 1.5 * 0.5
    dist = np.abs(h - center)
    # Ginibre edge at n = 300: the largest |eigenvalue| exceeds the radius by O(sqrt(log n / n))
    # ~ 0.1 relative; the disk is filled uniformly (fraction inside r/2 is 1/4 +- 0.05).
    assert dist.max() < 1.15 * radius and dist.max() > 0.85 * radius
    assert abs(np.mean(dist < radius / 2) - 0.25) < 0.05
    edge = float(gj.spectral_edge(params, couplings, jnp.zeros((3, n))))
    assert abs(edge - (center + radius)) < 1e-9


def _stable_fixed_point(params, couplings, key):
    sol = gj.simulate(params, couplings, gj.sample_state(key, couplings.n), t1=400.0)
    fp = gj.find_fixed_points(params, couplings, sol.ys[-1])
    assert fp.n_unique == 1
    return fp


def test_fixed_point_matches_simulation_and_is_gate_independent():
    # beta_h != 0, g_h = 1.5: the network relaxes to a stable nonzero fixed point.
    n = 100
    couplings = gj.sample_couplings(jr.key(4), n)
    params = gj.GatedParams(g_h=1.5, beta_h=0.5, alpha_r=1.0, beta_r=0.3, tau_z=0.5)
    sol = gj.simulate(params, couplings, gj.sample_state(jr.key(5), n), t1=600.0)
    fp = gj.find_fixed_points(params, couplings, jr.normal(jr.key(6), (6, 3, n)))
    assert fp.n_unique >= 1 and bool(jnp.all(fp.residuals[fp.converged] < 1e-9))
    assert fp.stability[0] == "stable"
    match = [np.max(np.abs(u - np.asarray(sol.ys[-1]))) for u in fp.unique]
    assert min(match) < 1e-6
    y = jnp.asarray(fp.unique[int(np.argmin(match))])
    # alpha_z, beta_z, tau_z, tau_r do not move fixed points:
    other = gj.GatedParams(g_h=1.5, beta_h=0.5, alpha_r=1.0, beta_r=0.3, alpha_z=6.0,
                           beta_z=-1.0, tau_z=3.0, tau_r=0.3)
    assert float(jnp.max(jnp.abs(gj.vector_field(0.0, y, (other, couplings))))) < 1e-10
    fp2 = gj.find_fixed_points(other, couplings, sol.ys[-1])
    np.testing.assert_allclose(fp2.unique[0], y, atol=1e-8)
    # exactly n eigenvalues at -1/tau_z at any fixed point (here alpha_r != 0 couples r):
    for p, tau_z in ((params, 0.5), (other, 3.0)):
        ev = np.asarray(gj.jacobian_spectrum(p, couplings, y))
        assert np.sum(np.abs(ev + 1 / tau_z) < 1e-7) == n


def test_unstable_fixed_points_in_chaotic_regime():
    n = 120
    couplings = gj.sample_couplings(jr.key(7), n)
    params = gj.GatedParams(g_h=3.0)
    sol = gj.simulate(params, couplings, gj.sample_state(jr.key(8), n), t1=100.0,
                      ts=jnp.linspace(50.0, 100.0, 8))
    fp = gj.find_fixed_points(params, couplings, sol.ys)
    assert fp.n_unique >= 1
    for u in fp.unique:
        assert float(jnp.max(jnp.abs(gj.vector_field(0.0, jnp.asarray(u), (params, couplings))))) < 1e-8
    # R0 > 1 at the typical (nonzero) fixed points of g_h = 3 > 2, and they are unstable.
    nonzero = [i for i, u in enumerate(fp.unique) if np.abs(u).max() > 1e-3]
    assert nonzero
    for i in nonzero:
        assert float(gj.stability_index(params, couplings, jnp.asarray(fp.unique[i]))) > 1
        assert fp.stability[i] == "unstable"


def test_slow_points_reach_fixed_point():
    n = 40
    couplings = gj.sample_couplings(jr.key(9), n)
    params = gj.GatedParams(g_h=1.5, beta_h=0.5, alpha_z=2.0)
    sol = gj.simulate(params, couplings, gj.sample_state(jr.key(10), n), t1=300.0)
    sp = gj.find_slow_points(params, couplings, sol.ys[-1] + 0.01)
    assert bool(sp.converged[0]) and float(sp.speed[0]) < 1e-12
    np.testing.assert_allclose(sp.points[0], sol.ys[-1], atol=1e-5)


def test_grid_spectra_vmap_equals_loop():
    n = 20
    couplings = gj.sample_couplings(jr.key(11), n)
    y = gj.sample_state(jr.key(12), n)
    grid = gj.param_grid(gj.GatedParams(g_h=2.5), alpha_z=[0.0, 1.0, 4.0], alpha_r=[0.0, 2.0])
    out = gj.grid_spectra(grid, couplings, y)
    assert out.shape == (3, 2, 60)
    for i in range(3):
        for j in range(2):
            p = jax.tree_util.tree_map(lambda x: x[i, j], grid)
            np.testing.assert_allclose(out[i, j], gj.jacobian_spectrum(p, couplings, y),
                                       atol=1e-10)
    # one state per grid point
    ys = jnp.broadcast_to(y, (3, 2, 3, n)) * jnp.arange(1.0, 7.0).reshape(3, 2, 1, 1)
    out = gj.grid_spectra(grid, couplings, ys)
    p = jax.tree_util.tree_map(lambda x: x[2, 1], grid)
    np.testing.assert_allclose(out[2, 1], gj.jacobian_spectrum(p, couplings, ys[2, 1]), atol=1e-10)


@pytest.mark.slow
@pytest.mark.parametrize(
    "g_h, alpha_z, alpha_r, beta_h",
    [(1.5, 0.0, 0.0, 0.5), (1.5, 5.0, 0.0, 0.5), (2.0, 2.0, 2.0, 0.5), (3.0, 0.0, 0.0, 0.0)],
)
def test_predicted_edge_and_radius_at_fixed_points(g_h, alpha_z, alpha_r, beta_h):
    # Random-matrix prediction from the population at the fixed point vs the measured spectrum
    # at n = 400. Finite-n edge fluctuations of Ginibre-type spectra are O(n^-1/2) times the
    # spectral scale: tolerance 2 rho / sqrt(n) = 0.1 rho, rho the predicted radius.
    n = 400
    couplings = gj.sample_couplings(jr.key(1), n)
    params = gj.GatedParams(g_h=g_h, alpha_z=alpha_z, alpha_r=alpha_r, beta_h=beta_h,
                            tau_z=0.5, tau_r=0.7)
    sol = gj.simulate(params, couplings, jr.normal(jr.key(2), (3, n)), t1=200.0,
                      ts=jnp.linspace(100.0, 200.0, 4))
    fp = gj.find_fixed_points(params, couplings, sol.ys, max_steps=100)
    y = jnp.asarray(fp.unique[0])
    ev = np.asarray(gj.jacobian_spectrum(params, couplings, y))
    edge = float(gj.spectral_edge(params, couplings, y))
    boundary = np.asarray(gj.support_boundary(params, couplings, y))
    rho = np.abs(boundary).max()
    assert abs(edge - ev.real.max()) < 2 * rho / np.sqrt(n)
    # the h eigenvalues' largest modulus (exclude the exact -1/tau_z, -1/tau_r modes)
    h = ev[(np.abs(ev + 2.0) > 1e-6) & (np.abs(ev + 1 / 0.7) > 1e-6)]
    assert abs(np.abs(h).max() - rho) < 2 * rho / np.sqrt(n)
    # the boundary's rightmost point is the edge found on the real axis
    assert abs(boundary.real.max() - edge) < 0.02 * rho


def test_marginal_stability_and_frozen_fraction():
    n = 200
    couplings = gj.sample_couplings(jr.key(13), n)
    params = gj.GatedParams(g_h=1.5, beta_h=0.5, alpha_z=30.0)
    fp = _stable_fixed_point(params, couplings, jr.key(14))
    y = jnp.asarray(fp.unique[0])
    ms = gj.marginal_stability(params, couplings, y)
    p = float(np.mean(np.asarray(y[1]) < 0))
    assert float(ms["p"]) == p
    np.testing.assert_allclose(ms["criterion"], (1 - p) * ms["R0"])
    # with alpha_z = 30, units with z < 0 have sigma_z < e^{-30|z|}: each contributes a
    # near-zero eigenvalue. Count eigenvalues below eps against the frozen-unit count.
    ev = gj.jacobian_spectrum(params, couplings, y)
    eps = 1e-3
    frozen = float(gj.frozen_fraction(params, y, eps))
    measured = float(gj.near_zero_fraction(ev, eps)) * 3
    assert abs(measured - frozen) < 0.03
    # Gaussian (mean-field) frozen fraction with the population variance of z
    gauss = float(gj.frozen_fraction_gaussian(params, jnp.var(y[1]), eps))
    assert abs(gauss - frozen) < 3 * np.sqrt(frozen * (1 - frozen) / n) + 0.02


class TestBadInput:
    def test_state_shape_and_nonfinite(self):
        couplings = gj.sample_couplings(jr.key(0), 5)
        with pytest.raises(ValueError, match=r"`y`.*\(3, 5\)"):
            gj.jacobian(gj.GatedParams(), couplings, jnp.zeros((3, 4)))
        with pytest.raises(ValueError, match="`y`"):
            gj.jacobian_spectrum(gj.GatedParams(), couplings, jnp.full((3, 5), jnp.nan))
        with pytest.raises(ValueError, match="y0s"):
            gj.find_fixed_points(gj.GatedParams(), couplings, jnp.zeros((2, 3, 4)))
        with pytest.raises(ValueError, match="non-finite"):
            gj.find_fixed_points(gj.GatedParams(), couplings, jnp.full((2, 3, 5), jnp.inf))

    def test_grid_mismatch(self):
        couplings = gj.sample_couplings(jr.key(0), 5)
        bad = gj.GatedParams(g_h=jnp.ones(3), alpha_z=jnp.ones(4))
        with pytest.raises(ValueError, match="grid axes"):
            gj.grid_spectra(bad, couplings, jnp.zeros((3, 5)))
        grid = gj.param_grid(alpha_z=[0.0, 1.0])
        with pytest.raises(ValueError, match="`y`"):
            gj.grid_spectra(grid, couplings, jnp.zeros((3, 3, 5)))


def test_fixed_points_in_float32():
    n = 100
    couplings = gj.sample_couplings(jr.key(4), n, dtype=jnp.float32)
    params = gj.GatedParams(g_h=1.5, beta_h=0.5, alpha_r=1.0, beta_r=0.3)
    sol = gj.simulate(params, couplings, gj.sample_state(jr.key(5), n, dtype=jnp.float32),
                      t1=600.0)
    fp = gj.find_fixed_points(params, couplings, jr.normal(jr.key(6), (4, 3, n), jnp.float32))
    assert fp.points.dtype == jnp.float32 and fp.n_unique == 1
    assert float(jnp.max(fp.residuals)) < 1e-5
    np.testing.assert_allclose(fp.unique[0], sol.ys[-1], atol=1e-4)
