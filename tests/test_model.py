import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import gatedjax as gj

from .helpers import couplings_np, np_vector_field, random_params_np


def _gj(p, Js):
    return gj.GatedParams(**p), gj.Couplings(*(jnp.asarray(J) for J in Js))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vector_field_matches_numpy(seed):
    rng = np.random.default_rng(seed)
    n = 40
    p = random_params_np(rng)
    Js = couplings_np(rng, n)
    params, couplings = _gj(p, Js)
    for _ in range(3):
        y = rng.standard_normal((3, n)) * 1.5
        got = gj.vector_field(0.0, jnp.asarray(y), (params, couplings))
        want = np_vector_field(y, p, *Js)
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-13)


def test_vector_field_per_unit_parameters():
    rng = np.random.default_rng(5)
    n = 30
    Js = couplings_np(rng, n)
    p = {k: rng.uniform(0.5, 2.0, n) for k in ("g_h", "alpha_z", "alpha_r", "tau_z", "tau_r")}
    p |= {k: rng.uniform(-1, 1, n) for k in ("beta_h", "beta_z", "beta_r")}
    params, couplings = _gj(p, Js)
    y = rng.standard_normal((3, n))
    got = gj.vector_field(0.0, jnp.asarray(y), (params, couplings))
    np.testing.assert_allclose(np.asarray(got), np_vector_field(y, p, *Js), rtol=1e-12, atol=1e-13)


def test_gate_convention_bias_closes_gate():
    # sigma(x) = sigmoid(alpha x - beta): at x = 0 a positive bias gives 1/(1 + e^beta) < 1/2.
    params = gj.GatedParams(alpha_z=2.0, beta_z=1.0, alpha_r=3.0, beta_r=-2.0)
    sz, sr = gj.gates(params, jnp.zeros((3, 4)))
    np.testing.assert_allclose(sz, 1 / (1 + np.e), rtol=1e-14)
    np.testing.assert_allclose(sr, 1 / (1 + np.exp(-2.0)), rtol=1e-14)


def test_classic_reduction_is_exact():
    # alpha_z = alpha_r = 0: dh/dt is the SCS field s_z(-h + s_r J tanh(g h + b)), whatever z, r.
    rng = np.random.default_rng(3)
    n = 50
    Js = couplings_np(rng, n)
    params, couplings = _gj(dict(g_h=2.5, beta_h=0.2, beta_z=0.7, beta_r=-0.3), Js)
    s_z, s_r = 1 / (1 + np.exp(0.7)), 1 / (1 + np.exp(-0.3))
    h = rng.standard_normal(n)
    want = s_z * (-h + s_r * Js[0] @ np.tanh(2.5 * h + 0.2))
    for _ in range(3):
        y = np.stack([h, 5 * rng.standard_normal(n), 5 * rng.standard_normal(n)])
        got = gj.vector_field(0.0, jnp.asarray(y), (params, couplings))[0]
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-13, atol=1e-14)


def test_sample_couplings_statistics_and_determinism(getkey):
    key = getkey()
    n = 400
    J1 = gj.sample_couplings(key, n)
    J2 = gj.sample_couplings(key, n)
    assert eqx.tree_equal(J1, J2)
    for J in (J1.J_h, J1.J_z, J1.J_r):
        assert J.shape == (n, n) and J.dtype == jnp.float64
        # variance 1/n; the sample variance of n^2 entries has relative s.e. sqrt(2)/n.
        assert abs(float(jnp.var(J)) * n - 1) < 6 * np.sqrt(2) / n
    assert not np.allclose(J1.J_h, J1.J_z)
    assert gj.sample_couplings(key, 8, dtype=jnp.float32).J_r.dtype == jnp.float32


def test_param_grid_shapes():
    grid = gj.param_grid(gj.GatedParams(g_h=3.0), alpha_z=[0.0, 1.0, 5.0], alpha_r=[0.0, 2.0])
    assert grid.alpha_z.shape == (3, 2) and grid.g_h.shape == (3, 2)
    np.testing.assert_array_equal(grid.alpha_z[:, 0], [0, 1, 5])
    np.testing.assert_array_equal(grid.alpha_r[1], [0, 2])
    with pytest.raises(ValueError, match="alpha_q"):
        gj.param_grid(alpha_q=[1.0])
    with pytest.raises(ValueError, match="1-D"):
        gj.param_grid(alpha_z=[[1.0]])


@pytest.mark.parametrize("field", ["tau_z", "tau_r"])
@pytest.mark.parametrize("value", [0.0, -1.0])
def test_bad_time_constants(field, value):
    with pytest.raises(ValueError, match=field):
        gj.GatedParams(**{field: value})


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_nonfinite_parameters(value):
    with pytest.raises(ValueError, match="g_h"):
        gj.GatedParams(g_h=value)


def test_params_constructible_under_jit():
    @jax.jit
    def f(g):
        return gj.GatedParams(g_h=g).g_h * 2

    assert float(f(1.5)) == 3.0


def test_bad_args_to_vector_field():
    with pytest.raises(ValueError, match="args"):
        gj.vector_field(0.0, jnp.zeros((3, 2)), (1.0, 2.0))


def test_sample_state_and_bad_n(getkey):
    y = gj.sample_state(getkey(), 7)
    assert y.shape == (3, 7)
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="`n`"):
            gj.sample_couplings(getkey(), bad)
