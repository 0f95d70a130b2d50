import diffrax as dfx
import jax.numpy as jnp
import numpy as np
import pytest

import gatedjax as gj

from .helpers import couplings_np, np_vector_field


def _seed_args(n=12, seed=0):
    rng = np.random.default_rng(seed)
    Js = np.stack(couplings_np(rng, n))
    x0 = rng.standard_normal((3, n))
    return dict(N=n, x0=x0, Js=Js, gains=[2.5, 1.5, 2.0], biases=[0.2, -0.3, 0.4],
                taus=[2.0, 0.5])


def _np_euler(a, dt, n_steps):
    p = dict(g_h=a["gains"][0], alpha_z=a["gains"][1], alpha_r=a["gains"][2],
             beta_h=a["biases"][0], beta_z=a["biases"][1], beta_r=a["biases"][2],
             tau_z=a["taus"][0], tau_r=a["taus"][1])
    x = a["x0"].copy()
    traj = [x.copy()]
    for _ in range(n_steps):
        x = x + dt * np_vector_field(x, p, *a["Js"])
        traj.append(x.copy())
    return np.stack(traj)


def test_sampling_semantics_against_numpy_euler_loop():
    # An independent forward-Euler loop at dt = 0.1: sample s is the state after
    # (T_discard + s * dt_samples) / dt steps.
    a = _seed_args()
    traj = _np_euler(a, 0.1, 60)
    X = gj.gated_recurrent_dynamics(**a, N_samples=5, dt_samples=0.5, T_discard=2.0,
                                    dt_integration=0.1, solver=dfx.Euler())
    assert X.shape == (3, 5, 12)
    want = np.transpose(traj[[20, 25, 30, 35, 40]], (1, 0, 2))
    np.testing.assert_allclose(X, want, rtol=1e-10, atol=1e-10)


def test_default_rk4_close_to_fine_reference_and_first_sample_is_x0():
    a = _seed_args(seed=1)
    X = gj.gated_recurrent_dynamics(**a, N_samples=4, dt_samples=1.0, T_discard=0.0)
    np.testing.assert_array_equal(X[:, 0], a["x0"])
    fine = _np_euler(a, 1e-4, 30000)[-1]  # Euler at 1e-4: error ~1e-4 at t = 3
    np.testing.assert_allclose(X[:, -1], fine, atol=2e-3)


def test_float32_input_gives_float32_output():
    a = _seed_args()
    a["x0"] = a["x0"].astype(np.float32)
    a["Js"] = a["Js"].astype(np.float32)
    X = gj.gated_recurrent_dynamics(**a, N_samples=3, dt_samples=0.2, T_discard=0.4)
    assert X.dtype == np.float32 and X.shape == (3, 3, 12)


def test_show_prints_seed_lines(capsys):
    a = _seed_args()
    gj.gated_recurrent_dynamics(**a, N_samples=2, dt_samples=0.2, T_discard=0.0, show=True)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Running Integrator ..."
    assert out[1] == "End of Integration"
    assert out[2].startswith("Integration Time ") and out[2].endswith(" [min]")


def test_accepts_jax_arrays_and_lists():
    a = _seed_args()
    a["x0"] = jnp.asarray(a["x0"])
    a["gains"] = tuple(a["gains"])
    X = gj.gated_recurrent_dynamics(**a, N_samples=2, dt_samples=0.1, T_discard=0.0)
    assert isinstance(X, np.ndarray)


def test_torch_tensors_roundtrip():
    torch = pytest.importorskip("torch")
    a = _seed_args()
    a["x0"] = torch.tensor(a["x0"], dtype=torch.float32)
    a["Js"] = torch.tensor(a["Js"], dtype=torch.float32)
    X = gj.gated_recurrent_dynamics(**a, N_samples=3, dt_samples=1.0, T_discard=0.0)
    assert isinstance(X, torch.Tensor) and tuple(X.shape) == (3, 3, 12)
    assert X.dtype == torch.float32


@pytest.mark.parametrize(
    "change, match",
    [
        (dict(x0=np.zeros((3, 5))), "x0"),
        (dict(Js=np.zeros((3, 12, 11))), "Js"),
        (dict(taus=[1.0, 0.0]), "taus"),
        (dict(taus=[1.0]), "taus"),
        (dict(gains=[1.0, np.nan, 0.0]), "gains"),
        (dict(N_samples=0), "N_samples"),
        (dict(dt_samples=0.0), "dt_samples"),
        (dict(dt_integration=-0.1), "dt_integration"),
        (dict(dt_samples=0.25, dt_integration=0.1), "multiple"),
        (dict(T_discard=-1.0), "T_discard"),
        (dict(N=0), "N"),
    ],
)
def test_bad_input(change, match):
    a = _seed_args() | dict(N_samples=2, dt_samples=0.2, T_discard=0.0, dt_integration=0.1)
    x0 = a["x0"].copy()
    x0[0, 0] = np.nan
    a |= change
    with pytest.raises(ValueError, match=match):
        gj.gated_recurrent_dynamics(**a)
    a = _seed_args() | dict(N_samples=2, dt_samples=0.2, T_discard=0.0, x0=x0)
    with pytest.raises(ValueError, match="x0"):
        gj.gated_recurrent_dynamics(**a)
