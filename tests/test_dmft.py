import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np
import pytest
from scipy.integrate import quad, solve_ivp
from scipy.optimize import brentq

import gatedjax as gj


def _gauss_np(f, var):
    """E[f(sqrt(var) X)] by adaptive quadrature (SciPy), X ~ N(0, 1)."""
    s = np.sqrt(var)
    return quad(lambda x: f(s * x) * np.exp(-x * x / 2) / np.sqrt(2 * np.pi), -12, 12,
                limit=200)[0]


# ---------------------------------------------------------------- classic (alpha = 0) limit


def test_classic_variance_and_correlation_against_scipy():
    g, b_z, b_r = 4.0, 0.3, -0.2
    params = gj.GatedParams(g_h=g, beta_z=b_z, beta_r=b_r)
    s_z, s_r = 1 / (1 + np.exp(b_z)), 1 / (1 + np.exp(b_r))
    Phi = lambda x: np.log(np.cosh(g * x)) / g
    # energy conservation V(D0) = V(0):  -D0^2/2 + s_r^2 Var[Phi(h)] = 0,  h ~ N(0, D0)
    energy = lambda d0: -d0**2 / 2 + s_r**2 * (_gauss_np(lambda x: Phi(x) ** 2, d0)
                                               - _gauss_np(Phi, d0) ** 2)
    d0_ref = brentq(lambda d: energy(d) / d**2, 1e-4, 10.0, xtol=1e-13)
    sol = gj.classic_dmft(params, tau_max=20.0, n_tau=81)
    np.testing.assert_allclose(sol.delta0, d0_ref, rtol=1e-7)

    # the particle's motion, integrated by SciPy with an independent Gauss-Hermite C_phi
    x, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / np.sqrt(2 * np.pi)

    def c_phi(d):
        d = min(max(d, 0.0), d0_ref)
        a = np.sqrt(d0_ref - d) * x[None, :] + np.sqrt(d) * x[:, None]
        inner = np.tanh(g * a) @ w
        return float(w @ inner**2)

    rhs = lambda u, y: [y[1], y[0] - s_r**2 * c_phi(y[0])]
    u = s_z * np.asarray(sol.tau)
    keep = u <= 8.0  # before the unstable separatrix amplifies the 1e-10 root error
    ref = solve_ivp(rhs, (0, u[keep][-1]), [d0_ref, 0.0], t_eval=u[keep], rtol=1e-11,
                    atol=1e-13, method="DOP853").y[0]
    np.testing.assert_allclose(np.asarray(sol.C_h)[keep], ref, rtol=0, atol=1e-6)


@pytest.mark.slow
def test_classic_lyapunov_exponent_against_simulation():
    # DMFT lambda_max (Schrödinger ground state) vs the Benettin exponent of N = 1000 networks.
    params = gj.GatedParams(g_h=4.0)
    sol = gj.classic_dmft(params)
    lam = float(gj.lyapunov_dmft(sol, params))
    sims = []
    for seed in range(2):
        c = gj.sample_couplings(jr.key(seed), 1000)
        ly = gj.gated_lyapunov_spectrum(params, c, gj.sample_state(jr.key(seed + 5), 1000), k=1,
                                        t1=400.0, t_transient=100.0)
        sims.append(float(ly.exponents[0]))
    # s.e. of each estimate ~0.004 plus O(1/sqrt(N)) finite-size spread: 20 %.
    assert abs(np.mean(sims) - lam) < 0.2 * lam, (lam, sims)
    # sanity: lambda_max > 0 in the chaotic state and shorter relaxation means faster chaos
    assert lam > 0 and float(gj.relaxation_time(sol)) > 0


def test_classic_rejects_gated_parameters():
    with pytest.raises(ValueError, match="alpha_z = alpha_r = 0"):
        gj.classic_dmft(gj.GatedParams(g_h=3.0, alpha_z=1.0))


# ---------------------------------------------------------------- static theory


def test_static_against_large_n_simulation():
    # A stable fixed point (beta_h != 0, R0 < 1): population variances of h, z, r at N = 2000.
    params = gj.GatedParams(g_h=1.6, beta_h=0.5, alpha_r=2.0, beta_r=0.3, alpha_z=1.0)
    st = gj.static_mft(params)
    assert float(st.R0) < 1
    n = 2000
    variances = []
    for seed in range(3):
        sol = gj.simulate(params, gj.sample_couplings(jr.key(seed), n),
                          gj.sample_state(jr.key(seed + 1), n), t1=300.0)
        variances.append(np.asarray(sol.ys[-1]).var(axis=1))
    var_h, var_z, var_r = np.mean(variances, axis=0)
    # The population variance at one coupling draw fluctuates by ~5 % between draws at
    # n = 2000 (measured: 0.068, 0.062, 0.062 for h); the mean of three is within ~3 %, plus an
    # O(1/n) bias: 8 %.
    np.testing.assert_allclose(var_h, st.delta_h, rtol=0.08)
    np.testing.assert_allclose(var_z, st.delta_z, rtol=0.08)
    np.testing.assert_allclose(var_r, st.delta_r, rtol=0.08)


def test_static_map_against_scipy_quadrature():
    params = gj.GatedParams(g_h=2.2, beta_h=0.4, alpha_r=3.0, beta_r=-0.5)
    for d in (0.05, 0.3, 0.9):
        q = _gauss_np(lambda x: np.tanh(2.2 * x + 0.4) ** 2, d)
        s = _gauss_np(lambda x: (1 / (1 + np.exp(-3.0 * x - 0.5))) ** 2, q)
        # 81-node Gauss-Hermite on tanh^2 (analytic in a strip) converges to ~1e-8
        np.testing.assert_allclose(gj.static_map(params, jnp.asarray(d)), q * s, rtol=1e-7)


def test_zero_fixed_point_threshold_is_one_plus_exp_beta_r():
    for b_r in (-0.5, 0.0, 0.7):
        g_c = 1 + np.exp(b_r)
        assert abs(float(gj.zero_fp_instability(gj.GatedParams(g_h=g_c, beta_r=b_r)))) < 1e-12
        below = gj.static_roots(gj.GatedParams(g_h=0.97 * g_c, beta_r=b_r))
        above = gj.static_roots(gj.GatedParams(g_h=1.03 * g_c, beta_r=b_r))
        assert int(below[1]) == 1 and float(below[0][0]) == 0.0  # only the zero solution
        assert int(above[1]) == 2  # zero plus a nonzero branch (supercritical at alpha_r = 0)


def test_small_delta_expansion_and_subcritical_condition():
    # F(D) ≈ a D + b D^2 near 0: compare b with the formula, by finite differences of F.
    for a_r in (0.0, 2.0, 4.0):
        params = gj.GatedParams(g_h=1.5, alpha_r=a_r)
        F = lambda d: gj.static_map(params, d)
        # (F(2h) - 2F(h)) / 2h^2 = b + O(h), and the O(h) term is large (~a_r^4 g^6): h = 1e-5
        h = 1e-5
        b_num = (F(jnp.asarray(2 * h)) - 2 * F(jnp.asarray(h))) / (2 * h**2)
        np.testing.assert_allclose(b_num, gj.small_delta_coefficient(params), rtol=0.02)
    # the sign changes at alpha_r = 2 sqrt(2) (beta_r = 0)
    c = lambda a: float(gj.small_delta_coefficient(gj.GatedParams(alpha_r=a)))
    assert c(2 * np.sqrt(2) * 0.99) < 0 < c(2 * np.sqrt(2) * 1.01)


def test_topological_threshold_limits():
    # subcritical: nonzero fixed points appear below g_h = 1/s = 2 and the threshold falls
    # towards sqrt(2) as alpha_r -> infinity (slowly).
    gs = [float(gj.topological_threshold(gj.GatedParams(alpha_r=a))[0]) for a in (4, 10, 100, 1000)]
    assert all(np.diff(gs) < 0) and gs[0] < 2.0
    assert np.sqrt(2) < gs[-1] < np.sqrt(2) + 0.06
    # at the threshold F(D) = D has a double root: just above it, two nonzero roots
    g_t, d_t = gj.topological_threshold(gj.GatedParams(alpha_r=10.0))
    roots, count = gj.static_roots(gj.GatedParams(g_h=float(g_t) * 1.01, alpha_r=10.0),
                                   n_grid=2048)
    assert int(count) == 3


def test_static_gradients_against_finite_differences():
    def f(theta):
        g, a_r = theta
        st = gj.static_mft(gj.GatedParams(g_h=g, alpha_r=a_r, beta_h=0.3))
        return jnp.stack([st.delta_h, st.R0])

    theta = jnp.array([2.5, 1.5])
    J = jax.jacobian(f)(theta)
    eps = 1e-6
    fd = jnp.stack([(f(theta.at[i].add(eps)) - f(theta.at[i].add(-eps))) / (2 * eps)
                    for i in range(2)], axis=1)
    np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-9)


def test_static_vmap_equals_loop():
    gs = jnp.array([2.5, 3.0, 4.0])
    batched = jax.vmap(lambda g: gj.static_mft(gj.GatedParams(g_h=g, alpha_r=1.0)).delta_h)(gs)
    for i, g in enumerate(gs):
        np.testing.assert_allclose(batched[i], gj.static_mft(gj.GatedParams(g_h=g, alpha_r=1.0)).delta_h,
                                   rtol=1e-12)


def test_static_nonconvergence_is_reported():
    # beta_h = 0, g_h sigma_r(0) < 1: only the zero solution exists.
    params = gj.GatedParams(g_h=1.5)
    st = gj.static_mft(params, throw=False)
    assert st.result != gj.RESULTS.successful
    with pytest.raises(Exception, match="nonlinear solver"):
        gj.static_mft(params)


def test_bad_input():
    with pytest.raises(ValueError, match="scalar"):
        gj.static_mft(gj.GatedParams(g_h=jnp.ones(3)))
    with pytest.raises(ValueError, match="t_window"):
        gj.dmft_solve(gj.GatedParams(g_h=3.0), key=jr.key(0), tau_max=50.0, t_window=20.0)
    with pytest.raises(ValueError, match="dt"):
        gj.dmft_solve(gj.GatedParams(g_h=3.0), key=jr.key(0), dt=0.0)
    with pytest.raises(ValueError, match="n_average"):
        gj.dmft_solve(gj.GatedParams(g_h=3.0), key=jr.key(0), n_iterations=5, n_average=8)


# ---------------------------------------------------------------- sampling DMFT


@pytest.mark.slow
def test_sampling_solver_reproduces_exact_classic_solution():
    params = gj.GatedParams(g_h=4.0)
    exact = gj.classic_dmft(params, tau_max=40.0, n_tau=801)
    sol = gj.dmft_solve(params, key=jr.key(0))
    ref = np.interp(np.asarray(sol.tau), np.asarray(exact.tau), np.asarray(exact.C_h))
    # sampling noise of the averaged estimate ~1 % of C_h(0); truncation of the tail at tau_max
    assert np.max(np.abs(np.asarray(sol.C_h) - ref)) < 0.05 * float(exact.delta0)


@pytest.mark.slow
@pytest.mark.parametrize("kw", [dict(g_h=4.0, alpha_z=3.0), dict(g_h=3.0, alpha_r=3.0)],
                         ids=["alpha_z", "alpha_r"])
def test_sampling_solver_against_network_simulations(kw):
    params = gj.GatedParams(**kw)
    sol = gj.dmft_solve(params, key=jr.key(1))
    tau_dmft = float(gj.correlation_time(sol.tau, sol.C_h))
    c0, tc = [], []
    for seed in range(2):
        n = 1000
        traj = gj.simulate(params, gj.sample_couplings(jr.key(seed), n),
                           gj.sample_state(jr.key(seed + 10), n), t1=600.0, save_every=0.25,
                           t_discard=100.0)
        lags, C = gj.population_autocorrelation(traj, max_lag=161)
        c0.append(float(C[0, 0]))
        tc.append(float(gj.correlation_time(lags, C[0])))
    # C_h(0): finite-N and seed spread ~3 % (measured between seeds), so 7 %. Correlation time:
    # both integrate to tau = 40 where slow modes have not fully decayed; measured spread and
    # the tail truncation of the solver give ~15 %, so 25 %.
    np.testing.assert_allclose(np.mean(c0), sol.C_h[0], rtol=0.07)
    np.testing.assert_allclose(np.mean(tc), tau_dmft, rtol=0.25)


def test_population_autocorrelation_matches_direct_average():
    ts = jnp.arange(0.0, 10.0, 0.5)
    ys = jnp.stack([jnp.sin(ts)[:, None] * jnp.arange(1.0, 6.0)[None, :]] * 3, axis=1)
    sol = gj.Solution(ts, ys, {}, gj.RESULTS.successful)
    lags, C = gj.population_autocorrelation(sol, max_lag=4)
    y = np.asarray(ys)[:, 0]
    for k in range(4):
        np.testing.assert_allclose(C[0, k], np.mean(y[: len(ts) - k] * y[k:]), rtol=1e-12)
    np.testing.assert_allclose(lags, [0, 0.5, 1.0, 1.5])


def test_sampling_solver_vmap_equals_loop_and_is_reproducible():
    small = dict(tau_max=5.0, dt=0.1, n_paths=50, t_burn=5.0, t_window=20.0, n_iterations=4,
                 n_average=2, throw=False)
    gs = jnp.array([3.0, 4.0])
    keys = jr.split(jr.key(0), 2)
    run = lambda g, k: gj.dmft_solve(gj.GatedParams(g_h=g, alpha_z=1.0), key=k, **small).C_h
    batched = jax.vmap(run)(gs, keys)
    for i in range(2):
        np.testing.assert_allclose(batched[i], run(gs[i], keys[i]), rtol=1e-10)
    np.testing.assert_array_equal(run(gs[0], keys[0]), run(gs[0], keys[0]))


def test_gaussian_support_function_matches_population_at_fixed_point():
    # F(0) = R0 from mean-field variances vs the population average at a large-n fixed point.
    params = gj.GatedParams(g_h=1.6, beta_h=0.5, alpha_r=2.0, beta_r=0.3)
    st = gj.static_mft(params)
    F0 = gj.support_function_gaussian(params, st.delta_h, st.delta_z, st.delta_r, 0.0)
    np.testing.assert_allclose(F0, st.R0, rtol=1e-10)  # F(0) = R0 by definition
    # complex λ works (strict promotion); F decreases along the imaginary axis (theory §3.3)
    F_im = gj.support_function_gaussian(params, st.delta_h, st.delta_z, st.delta_r,
                                        jnp.array([0.0, 0.5j, 1.0j]))
    np.testing.assert_allclose(F_im[0], F0, rtol=1e-12)
    assert float(F_im[0]) > float(F_im[1]) > float(F_im[2])
    n = 2000
    c = gj.sample_couplings(jr.key(0), n)
    sol = gj.simulate(params, c, gj.sample_state(jr.key(1), n), t1=300.0)
    # population R0 at one draw: ~3-5 % seed-to-seed spread at n = 2000 (as for variances)
    np.testing.assert_allclose(gj.stability_index(params, c, sol.ys[-1]), st.R0, rtol=0.1)


@pytest.mark.slow
def test_chaos_order_parameter_across_the_constant_gate_line():
    # beta = 0, alpha = 0: chaos iff g_h sigma_r(0) = g_h / 2 > 1. Below: the iteration decays
    # to the static (zero) solution; above: the fluctuating variance is the exact Delta0.
    kw = dict(n_paths=400, n_iterations=30, n_average=10)
    below = float(gj.chaos_order_parameter(gj.GatedParams(g_h=1.8), key=jr.key(0), **kw))
    above = float(gj.chaos_order_parameter(gj.GatedParams(g_h=4.0), key=jr.key(0), **kw))
    exact = float(gj.classic_dmft(gj.GatedParams(g_h=4.0)).delta0)
    assert below < 0.01 * exact
    assert abs(above - exact) < 0.08 * exact
