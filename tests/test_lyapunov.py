import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np
import pytest

import gatedjax as gj


def lorenz(t, y, args):
    sigma, rho, beta = args
    x, y_, z = y
    return jnp.stack([sigma * (y_ - x), x * (rho - z) - y_, x * y_ - beta * z])


def test_lorenz_published_spectrum():
    # Published (e.g. Sprott, "Chaos and Time-Series Analysis"; Wolf et al. 1985):
    # (0.9056, 0, -14.5723) at sigma=10, rho=28, beta=8/3. With T = 2000 the block standard
    # error of lambda_1 is ~0.007, so 0.03 is a > 4-sigma tolerance; the sum is exact.
    args = (10.0, 28.0, 8.0 / 3.0)
    sol = gj.lyapunov_spectrum(lorenz, jnp.array([1.0, 1.0, 1.0]), args, k=3, t1=2000.0,
                               t_transient=50.0, reortho_every=0.5)
    lam = np.asarray(sol.exponents)
    assert abs(lam[0] - 0.9056) < 0.03
    assert abs(lam[1]) < 0.01  # the flow direction of an autonomous system
    assert abs(lam[2] + 14.5723) < 0.03
    np.testing.assert_allclose(lam.sum(), -(10 + 1 + 8 / 3), rtol=1e-6)
    np.testing.assert_allclose(sol.mean_trace, -(10 + 1 + 8 / 3), rtol=1e-10)
    assert abs(float(sol.kaplan_yorke) - 2.062) < 0.01
    np.testing.assert_allclose(sol.entropy, lam[lam > 0].sum())
    assert np.all(np.asarray(sol.stderr) < 0.02)
    assert sol.history.shape == (4000, 3)


def test_linear_system_exponents_are_real_parts_of_eigenvalues():
    # Non-normal A with a complex pair: exponents = sorted real parts (pair repeated).
    A = jnp.array([[-0.5, 3.0, 0.0, 1.0],
                   [-3.0, -0.5, 2.0, 0.0],
                   [0.0, 0.0, 0.2, 5.0],
                   [0.0, 0.0, 0.0, -2.0]])
    f = lambda t, y, args: args @ y
    sol = gj.lyapunov_spectrum(f, jnp.ones(4), A, k=4, t1=400.0)
    # finite-time bias ~ log(condition of the eigenbasis) / T ~ 1e-2
    np.testing.assert_allclose(sol.exponents, [0.2, -0.5, -0.5, -2.0], atol=0.02)
    # partial spectrum, fixed-step RK4, dense tangents: same numbers
    sol2 = gj.lyapunov_spectrum(f, jnp.ones(4), A, k=2, t1=400.0, solver=gj.RK4(), dt0=0.01,
                                tangent="dense")
    np.testing.assert_allclose(sol2.exponents, [0.2, -0.5], atol=0.02)


def test_kaplan_yorke_definition():
    np.testing.assert_allclose(gj.kaplan_yorke(jnp.array([1.0, 0.0, -2.0])), 2.5)
    np.testing.assert_allclose(gj.kaplan_yorke(jnp.array([-0.1, -2.0])), 0.0)
    np.testing.assert_allclose(gj.kaplan_yorke(jnp.array([0.5, 0.2])), 2.0)


def _net(n, seed=0, **kw):
    couplings = gj.sample_couplings(jr.key(seed), n)
    return gj.GatedParams(**kw), couplings, gj.sample_state(jr.key(seed + 1), n)


def test_fused_gated_tangent_matches_autodiff_jvp():
    params, couplings, _ = _net(7, seed=9, g_h=2.5, alpha_z=1.5, alpha_r=2.0, beta_h=0.3,
                                beta_z=-0.2, beta_r=0.4, tau_z=2.0, tau_r=0.5)
    y = jr.normal(jr.key(3), (3, 7))
    Q = jr.normal(jr.key(4), (3, 7, 5))
    f, JQ = gj.gated_tangent(0.0, y, Q, (params, couplings))
    field = lambda x: gj.vector_field(0.0, x, (params, couplings))
    np.testing.assert_allclose(f, field(y), rtol=1e-13, atol=1e-14)
    for i in range(5):
        np.testing.assert_allclose(JQ[..., i], jax.jvp(field, (y,), (Q[..., i],))[1],
                                   rtol=1e-12, atol=1e-13)


def test_gated_sum_rule_full_spectrum():
    # sum of all 3n exponents = time average of tr J (Liouville), with tr J from the analytic
    # formula and, independently, from D JVPs per evaluation.
    params, couplings, y0 = _net(8, g_h=3.0, alpha_z=1.5, alpha_r=1.0, beta_h=0.1, tau_z=2.0)
    sol = gj.gated_lyapunov_spectrum(params, couplings, y0, k=24, t1=200.0, t_transient=50.0)
    np.testing.assert_allclose(np.sum(sol.exponents), sol.mean_trace, rtol=1e-5)
    sol2 = gj.lyapunov_spectrum(gj.vector_field, y0, (params, couplings), k=24, t1=200.0,
                                t_transient=50.0, trace="exact")  # autodiff JVPs throughout
    np.testing.assert_allclose(sol2.mean_trace, sol.mean_trace, rtol=1e-6)
    np.testing.assert_allclose(sol2.exponents, sol.exponents, atol=1e-6)


def test_rossler_published_spectrum_and_zero_exponent():
    # Rössler a = b = 0.2, c = 5.7: (0.0714, 0, -5.3943) (Sprott). T = 3000: s.e. ~ 0.003.
    def rossler(t, y, args):
        x, y_, z = y
        return jnp.stack([-y_ - z, x + 0.2 * y_, 0.2 + z * (x - 5.7)])

    sol = gj.lyapunov_spectrum(rossler, jnp.array([1.0, 1.0, 0.0]), None, k=3, t1=3000.0,
                               t_transient=100.0)
    lam = np.asarray(sol.exponents)
    assert abs(lam[0] - 0.0714) < 0.01
    assert abs(lam[1]) < 0.005
    assert abs(lam[2] + 5.3943) < 0.02


@pytest.mark.slow
def test_gated_chaotic_network_has_zero_exponent():
    params, couplings, y0 = _net(100, g_h=5.0)
    sol = gj.gated_lyapunov_spectrum(params, couplings, y0, k=6, t1=1000.0, t_transient=100.0)
    lam = np.asarray(sol.exponents)
    assert lam[0] > 0.02 and lam[0] > 3 * float(sol.stderr[0])  # chaotic
    # one exponent is zero (flow direction) within a few standard errors
    i = np.argmin(np.abs(lam))
    assert abs(lam[i]) < max(4 * float(sol.stderr[i]), 5e-3)


def test_ungated_limit_exponents_and_scs_rescaling():
    # alpha_z = alpha_r = 0: n exponents exactly -1/tau_z, n at -1/tau_r; the h-part is s_z
    # times the spectrum of SCS  dh/dt = -h + s_r J tanh(g h + b)  (exact rescaling of time).
    n, b_z, b_r = 6, 0.5, -0.4
    s_z, s_r = 1 / (1 + np.exp(b_z)), 1 / (1 + np.exp(b_r))
    params, couplings, y0 = _net(n, seed=3, g_h=4.0, beta_h=0.1, beta_z=b_z, beta_r=b_r,
                                 tau_z=0.1, tau_r=0.125)
    T = 400.0
    sol = gj.gated_lyapunov_spectrum(params, couplings, y0, k=3 * n, t1=T, t_transient=20.0)
    lam = np.asarray(sol.exponents)
    np.testing.assert_allclose(lam[n:2 * n], -8.0, atol=1e-3)
    np.testing.assert_allclose(lam[2 * n:], -10.0, atol=1e-3)

    def scs(t, h, args):
        J, g, b = args
        return -h + s_r * J @ jnp.tanh(g * h + b)

    h0 = gj.simulate(params, couplings, y0, t1=20.0).ys[-1, 0]
    ref = gj.lyapunov_spectrum(scs, h0, (couplings.J_h, 4.0, 0.1), k=n, t1=s_z * T,
                               reortho_every=s_z)
    # statistical agreement: both estimate the same exponents from different finite windows
    np.testing.assert_allclose(lam[:n], s_z * np.asarray(ref.exponents), atol=0.02)


def test_vmap_over_parameters_equals_loop():
    _, couplings, y0 = _net(5, seed=5)
    g = jnp.array([2.0, 3.5])

    def lam1(g_h):
        p = gj.GatedParams(g_h=g_h, alpha_z=1.0)
        return gj.gated_lyapunov_spectrum(p, couplings, y0, k=3, t1=50.0).exponents

    batched = jax.vmap(lam1)(g)
    for i in range(2):
        np.testing.assert_allclose(batched[i], lam1(g[i]), atol=1e-8)


@pytest.mark.parametrize("dtype", [jnp.float32, jnp.float64])
def test_dtypes(dtype):
    y0 = jnp.array([1.0, 1.0, 1.0], dtype)
    sol = gj.lyapunov_spectrum(lorenz, y0, (10.0, 28.0, 8.0 / 3.0), k=2, t1=300.0)
    assert sol.exponents.dtype == dtype and sol.y_final.dtype == dtype
    assert abs(float(sol.exponents[0]) - 0.9056) < 0.08  # T = 300: s.e. ~ 0.02
    m = gj.max_lyapunov(lorenz, y0, (10.0, 28.0, 8.0 / 3.0), t1=300.0)
    assert abs(float(m) - 0.9056) < 0.08


class TestBadInput:
    def test_k_range(self):
        for k in (0, 4):
            with pytest.raises(ValueError, match="`k`"):
                gj.lyapunov_spectrum(lorenz, jnp.ones(3), (10.0, 28.0, 8 / 3), k=k, t1=1.0)

    def test_intervals(self):
        args = (10.0, 28.0, 8 / 3)
        with pytest.raises(ValueError, match="t1"):
            gj.lyapunov_spectrum(lorenz, jnp.ones(3), args, k=1, t1=0.0)
        with pytest.raises(ValueError, match="reortho_every"):
            gj.lyapunov_spectrum(lorenz, jnp.ones(3), args, k=1, t1=1.0, reortho_every=-1.0)
        with pytest.raises(ValueError, match="t_transient"):
            gj.lyapunov_spectrum(lorenz, jnp.ones(3), args, k=1, t1=1.0, t_transient=-1.0)
        with pytest.raises(ValueError, match="multiple"):
            gj.lyapunov_spectrum(lorenz, jnp.ones(3), args, k=1, t1=1.0, dt0=0.3)

    def test_output_shape_mismatch(self):
        bad = lambda t, y, args: y[:2]
        with pytest.raises(ValueError, match="shape of `y0`"):
            gj.lyapunov_spectrum(bad, jnp.ones(3), None, k=1, t1=1.0)

    def test_gated_bad_state(self):
        params, couplings, _ = _net(4)
        with pytest.raises(ValueError, match="y0"):
            gj.gated_lyapunov_spectrum(params, couplings, jnp.zeros((3, 5)), k=1, t1=1.0)
        with pytest.raises(ValueError, match="y0"):
            gj.lyapunov_spectrum(gj.vector_field, jnp.full((3, 4), jnp.nan), (params, couplings),
                                 k=1, t1=1.0)
