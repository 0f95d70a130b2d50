import diffrax as dfx
import equinox as eqx
import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np
import pytest
from scipy.integrate import solve_ivp

import gatedjax as gj
import gatedjax._integrate as gj_integrate

from .helpers import couplings_np, np_vector_field, random_params_np


def _system(seed, n, **overrides):
    rng = np.random.default_rng(seed)
    p = random_params_np(rng) | overrides
    Js = couplings_np(rng, n)
    y0 = rng.standard_normal((3, n))
    return p, Js, y0, gj.GatedParams(**p), gj.Couplings(*map(jnp.asarray, Js))


def _scipy(p, Js, y0, ts):
    n = y0.shape[1]
    f = lambda t, y: np_vector_field(y.reshape(3, n), p, *Js).ravel()
    sol = solve_ivp(f, (0.0, ts[-1]), y0.ravel(), method="DOP853", t_eval=ts, rtol=1e-12,
                    atol=1e-12)
    return sol.y.T.reshape(len(ts), 3, n)


def test_simulate_matches_scipy_dop853():
    # Horizon 5: the largest Lyapunov exponent of these networks is O(0.1-0.5), so differences
    # of 1e-10 grow by at most e^2.5 ~ 12 and the comparison tests the integrator only.
    p, Js, y0, params, couplings = _system(0, 20)
    ts = np.linspace(0.0, 5.0, 11)
    sol = gj.simulate(params, couplings, jnp.asarray(y0), t1=5.0, ts=ts, rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(np.asarray(sol.ys), _scipy(p, Js, y0, ts), rtol=0, atol=1e-8)
    assert sol.ys.shape == (11, 3, 20)
    assert sol.result == gj.RESULTS.successful


def test_fixed_step_rk4_has_fourth_order_convergence():
    p, Js, y0, params, couplings = _system(1, 15)
    ref = _scipy(p, Js, y0, np.array([0.0, 4.0]))[-1]
    errs = []
    for dt in (0.2, 0.1):
        sol = gj.simulate(params, couplings, jnp.asarray(y0), t1=4.0, solver=gj.RK4(), dt0=dt)
        errs.append(np.max(np.abs(np.asarray(sol.ys[-1]) - ref)))
    # error ~ C dt^4: halving dt divides it by ~16.
    assert 11 < errs[0] / errs[1] < 22, errs


def test_save_every_and_discard():
    p, Js, y0, params, couplings = _system(2, 10)
    sol = gj.simulate(params, couplings, jnp.asarray(y0), t1=10.0, save_every=0.5,
                      t_discard=3.0, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(sol.ts, np.arange(3.0, 10.0001, 0.5))
    ref = _scipy(p, Js, y0, np.asarray(sol.ts))
    np.testing.assert_allclose(np.asarray(sol.ys), ref, atol=1e-7)


def test_constant_h_input_analytic():
    # J = 0, alpha_z = 0: dh/dt = s_z (-h + I) -> h(t) = I + (h0 - I) exp(-s_z t).
    n = 5
    zero = jnp.zeros((n, n))
    params = gj.GatedParams(beta_z=0.5)
    s_z = 1 / (1 + np.exp(0.5))
    I = jnp.linspace(-1.0, 1.0, n)
    y0 = jnp.zeros((3, n)).at[0].set(2.0)
    ts = np.linspace(0, 3, 7)
    sol = gj.simulate(params, gj.Couplings(zero, zero, zero), y0, t1=3.0, ts=ts,
                      inputs=gj.Inputs(h=I), rtol=1e-10, atol=1e-10)
    want = np.asarray(I)[None] + (2.0 - np.asarray(I))[None] * np.exp(-s_z * ts)[:, None]
    np.testing.assert_allclose(np.asarray(sol.h), want, atol=1e-8)


def test_time_dependent_gate_input_analytic():
    # J = 0: tau dz/dt = -z + sin(t), z(0) = 0  ->  z(t) = (sin t - tau cos t + tau e^{-t/tau})/(1+tau^2)
    n, tau = 3, 2.0
    zero = jnp.zeros((n, n))
    ts = np.linspace(0, 6, 13)
    sol = gj.simulate(gj.GatedParams(tau_z=tau, tau_r=tau), gj.Couplings(zero, zero, zero),
                      jnp.zeros((3, n)), t1=6.0, ts=ts, inputs=gj.Inputs(z=jnp.sin, r=None),
                      rtol=1e-10, atol=1e-10)
    want = (np.sin(ts) - tau * np.cos(ts) + tau * np.exp(-ts / tau)) / (1 + tau**2)
    np.testing.assert_allclose(np.asarray(sol.z), np.broadcast_to(want[:, None], (13, n)),
                               atol=1e-8)
    np.testing.assert_allclose(np.asarray(sol.r), 0.0, atol=1e-12)


def test_classic_reduction_trajectory():
    # alpha_z = alpha_r = 0: h is the SCS network with time constant 1/s_z and gain s_r g_h,
    # regardless of the z, r initial conditions.
    p, Js, y0, _, couplings = _system(4, 25)
    params = gj.GatedParams(g_h=2.5, beta_h=0.1, beta_z=0.4, beta_r=-0.6)
    s_z, s_r = 1 / (1 + np.exp(0.4)), 1 / (1 + np.exp(-0.6))
    ts = np.linspace(0, 5, 6)
    f = lambda t, h: s_z * (-h + s_r * Js[0] @ np.tanh(2.5 * h + 0.1))
    ref = solve_ivp(f, (0, 5), y0[0], method="DOP853", t_eval=ts, rtol=1e-12, atol=1e-12).y.T
    for scale in (0.0, 3.0):
        y = y0.copy()
        y[1:] *= scale
        sol = gj.simulate(params, couplings, jnp.asarray(y), t1=5.0, ts=ts, rtol=1e-11,
                          atol=1e-11)
        np.testing.assert_allclose(np.asarray(sol.h), ref, atol=1e-8)


def test_no_recompile_when_parameter_values_change(monkeypatch):
    traces = []
    original = gj_integrate.vector_field

    def counting(t, y, args):
        traces.append(1)
        return original(t, y, args)

    monkeypatch.setattr(gj_integrate, "vector_field", counting)
    _, _, y0, params, couplings = _system(5, 12)
    kw = dict(t1=4.0, save_every=1.0)
    gj.simulate(params, couplings, jnp.asarray(y0), **kw)
    first = len(traces)
    assert first > 0
    new_params = gj.GatedParams(g_h=2.0, alpha_z=5.0, alpha_r=0.1, beta_h=0.3, beta_z=-1.0,
                                beta_r=1.0, tau_z=3.0, tau_r=0.2)
    couplings2 = jax.tree_util.tree_map(lambda J: 0.5 * J, couplings)
    gj.simulate(new_params, couplings2, jnp.asarray(y0) + 1, **kw)
    gj.simulate(params, couplings, jnp.asarray(y0), t1=5.0, save_every=1.25)  # same count
    assert len(traces) == first


def test_vmap_over_parameters_equals_loop():
    _, _, y0, _, couplings = _system(6, 10)
    grid = gj.param_grid(gj.GatedParams(g_h=2.5), alpha_z=[0.0, 2.0], alpha_r=[0.0, 1.0, 3.0])
    flat = jax.tree_util.tree_map(lambda x: x.reshape(-1), grid)
    run = lambda p: gj.simulate(p, couplings, jnp.asarray(y0), t1=3.0, save_every=1.0).ys
    batched = jax.vmap(run)(flat)
    assert batched.shape == (6, 4, 3, 10)
    for i in range(6):
        p_i = jax.tree_util.tree_map(lambda x: x[i], flat)
        np.testing.assert_allclose(batched[i], run(p_i), atol=1e-6)


def test_vmap_over_initial_states_equals_loop(getkey):
    _, _, _, params, couplings = _system(7, 10)
    y0s = jr.normal(getkey(), (4, 3, 10))
    run = lambda y: gj.simulate(params, couplings, y, t1=2.0).ys[-1]
    batched = jax.vmap(run)(y0s)
    for i in range(4):
        np.testing.assert_allclose(batched[i], run(y0s[i]), atol=1e-6)


@pytest.mark.parametrize(
    "adjoint", [dfx.RecursiveCheckpointAdjoint(), dfx.BacksolveAdjoint()], ids=["ckpt", "back"]
)
def test_grad_against_finite_differences(adjoint):
    _, _, y0, params, couplings = _system(8, 8)
    y0 = jnp.asarray(y0)

    def loss(theta):
        g_h, alpha_r = theta
        p = eqx.tree_at(lambda q: (q.g_h, q.alpha_r), params, (g_h, alpha_r))
        sol = gj.simulate(p, couplings, y0, t1=2.0, adjoint=adjoint, rtol=1e-10, atol=1e-10)
        return jnp.mean(sol.ys[-1] ** 2)

    theta = jnp.array([float(params.g_h), float(params.alpha_r)])
    grad = jax.grad(loss)(theta)
    eps = 1e-5
    fd = [(loss(theta.at[i].add(eps)) - loss(theta.at[i].add(-eps))) / (2 * eps) for i in range(2)]
    # central differences: O(eps^2) truncation + O(1e-10/eps) solver noise ~ 1e-5 relative.
    np.testing.assert_allclose(grad, np.array(fd), rtol=1e-4)


@pytest.mark.parametrize("dtype", [jnp.float32, jnp.float64])
def test_dtype_preserved(dtype, getkey):
    couplings = gj.sample_couplings(getkey(), 10, dtype=dtype)
    y0 = gj.sample_state(getkey(), 10, dtype=dtype)
    sol = gj.simulate(gj.GatedParams(g_h=2.0, alpha_z=1.0), couplings, y0, t1=2.0,
                      save_every=1.0)
    assert sol.ys.dtype == dtype and sol.ts.dtype == dtype
    sol = gj.simulate(gj.GatedParams(), couplings, y0, t1=1.0, solver=gj.RK4(), dt0=0.1)
    assert sol.ys.dtype == dtype


def test_determinism_for_fixed_key():
    outs = []
    for _ in range(2):
        kJ, ky = jr.split(jr.key(42))
        sol = gj.simulate(gj.GatedParams(g_h=3.0), gj.sample_couplings(kJ, 30),
                          gj.sample_state(ky, 30), t1=10.0)
        outs.append(np.asarray(sol.ys))
    np.testing.assert_array_equal(outs[0], outs[1])


def test_max_steps_raises_and_result_code():
    _, _, y0, params, couplings = _system(9, 10)
    with pytest.raises(Exception, match="max_steps"):
        gj.simulate(params, couplings, jnp.asarray(y0), t1=50.0, max_steps=3)
    sol = gj.simulate(params, couplings, jnp.asarray(y0), t1=50.0, max_steps=3, throw=False)
    assert sol.result == gj.RESULTS.max_steps_reached


def test_divergence_reported():
    # Forward Euler with dt = 50 >> 2/rate is unstable: the iterates overflow.
    _, _, y0, params, couplings = _system(10, 10)
    kw = dict(t1=50.0 * 300, solver=dfx.Euler(), dt0=50.0, max_steps=400)
    sol = gj.simulate(params, couplings, jnp.asarray(y0), throw=False, **kw)
    assert sol.result == gj.RESULTS.nonfinite_state
    with pytest.raises(Exception, match="non-finite"):
        gj.simulate(params, couplings, jnp.asarray(y0), **kw)


class TestBadInput:
    def setup_method(self):
        _, _, y0, self.params, self.couplings = _system(11, 6)
        self.y0 = jnp.asarray(y0)

    def call(self, **kw):
        args = dict(params=self.params, couplings=self.couplings, y0=self.y0)
        args |= {k: kw.pop(k) for k in list(kw) if k in args}
        kw.setdefault("t1", 1.0)
        return gj.simulate(args["params"], args["couplings"], args["y0"], **kw)

    def test_state_shape(self):
        with pytest.raises(ValueError, match=r"y0.*\(3, 6\)"):
            self.call(y0=jnp.zeros((2, 6)))
        with pytest.raises(ValueError, match="y0"):
            self.call(y0=jnp.zeros((3, 5)))

    def test_coupling_shapes(self):
        c = self.couplings
        with pytest.raises(ValueError, match="J_z"):
            self.call(couplings=gj.Couplings(c.J_h, c.J_z[:, :5], c.J_r))
        with pytest.raises(ValueError, match="share one shape"):
            self.call(couplings=gj.Couplings(c.J_h, jnp.zeros((5, 5)), c.J_r))

    def test_nonfinite_state_and_couplings(self):
        with pytest.raises(ValueError, match="y0"):
            self.call(y0=self.y0.at[1, 2].set(jnp.nan))
        c = self.couplings
        with pytest.raises(ValueError, match="J_r"):
            self.call(couplings=gj.Couplings(c.J_h, c.J_z, c.J_r.at[0, 0].set(jnp.inf)))

    def test_param_shape(self):
        with pytest.raises(ValueError, match="g_h"):
            self.call(params=gj.GatedParams(g_h=jnp.ones(4)))

    def test_intervals(self):
        with pytest.raises(ValueError, match="t1"):
            self.call(t1=0.0)
        with pytest.raises(ValueError, match="dt0"):
            self.call(dt0=-0.1)
        with pytest.raises(ValueError, match="save_every"):
            self.call(save_every=0.0)
        with pytest.raises(ValueError, match="t_discard"):
            self.call(t_discard=2.0, save_every=0.5)
        with pytest.raises(ValueError, match="ts"):
            self.call(ts=[0.5, 0.2])
        with pytest.raises(ValueError, match="max_steps"):
            self.call(max_steps=0)
