"""Compatibility wrapper for the PyTorch seed project's `gated_recurrent_dynamics`."""

import math
import sys
import time
from typing import Any

import diffrax as dfx
import jax.numpy as jnp
import numpy as np

from ._integrate import simulate
from ._misc import check_int_at_least, check_nonnegative_scalar, check_positive_scalar
from ._model import Couplings, GatedParams
from ._solvers import RK4


def _is_torch(x: Any) -> bool:
    # Never import torch ourselves: if a tensor was passed, torch is already imported.
    return "torch" in sys.modules and type(x).__module__.split(".")[0] == "torch"


def _to_numpy(name: str, x: Any) -> np.ndarray:
    if _is_torch(x):
        x = x.detach().cpu().numpy()
    try:
        return np.asarray(x)
    except Exception as e:  # noqa: BLE001 - report which argument could not be read
        raise ValueError(f"`{name}` could not be converted to an array: {e}") from None


def _vector(name: str, x: Any, length: int) -> np.ndarray:
    arr = _to_numpy(name, x).astype(float)
    if arr.shape != (length,):
        raise ValueError(f"`{name}` must be a sequence of {length} numbers, got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` contains non-finite values: {arr.tolist()}.")
    return arr


def gated_recurrent_dynamics(
    N,
    x0,
    Js,
    gains,
    biases,
    taus,
    N_samples,
    dt_samples,
    T_discard,
    dt_integration=0.1,
    show=False,
    *,
    solver: dfx.AbstractSolver | None = None,
):
    """The seed project's call, kept working on top of [`gatedjax.simulate`][].

    Integrates with a **fixed step** `dt_integration`, discards the first `T_discard` time
    units, then returns `N_samples` states sampled every `dt_samples`: sample `s` is the state
    at time `T_discard + s * dt_samples`, `s = 0, ..., N_samples - 1` (so with
    `T_discard = 0` the first sample is `x0`).

    **Arguments** (as in the seed):

    - `N`: number of units.
    - `x0`: initial state, shape `(3, N)` (rows `h, z, r`); NumPy, JAX or torch.
    - `Js`: couplings `[J_h, J_z, J_r]`, shape `(3, N, N)`.
    - `gains`: `[g_h, alpha_z, alpha_r]`; `biases`: `[beta_h, beta_z, beta_r]`;
        `taus`: `[tau_z, tau_r]` (`tau_r` is used in the r equation, as in the model).
    - `N_samples`: number of samples (>= 1); `dt_samples`: sampling interval, a multiple of
        `dt_integration`; `T_discard`: transient (>= 0); `dt_integration`: the fixed step.
    - `show`: print the seed's progress and timing lines.
    - `solver`: (gatedjax extension) the fixed-step diffrax solver; default classical RK4
        (`gatedjax.RK4`; `diffrax.Euler()` reproduces a forward-Euler loop). The seed's own integrator is not
        published.

    **Returns:** an array of shape `(3, N_samples, N)` in the dtype of `x0`: a torch tensor if
    `x0` was one, otherwise a NumPy array.

    **Raises:** `ValueError` naming the argument for any malformed input.
    """
    N = check_int_at_least("N", N, 1)
    x0_np = _to_numpy("x0", x0)
    if x0_np.shape != (3, N):
        raise ValueError(f"`x0` must have shape (3, N) = (3, {N}), got {x0_np.shape}.")
    Js_np = _to_numpy("Js", Js)
    if Js_np.shape != (3, N, N):
        raise ValueError(f"`Js` must have shape (3, N, N) = (3, {N}, {N}), got {Js_np.shape}.")
    g_h, alpha_z, alpha_r = _vector("gains", gains, 3)
    beta_h, beta_z, beta_r = _vector("biases", biases, 3)
    tau_z, tau_r = _vector("taus", taus, 2)
    if tau_z <= 0 or tau_r <= 0:
        raise ValueError(f"`taus` must be strictly positive, got {[tau_z, tau_r]}.")
    N_samples = check_int_at_least("N_samples", N_samples, 1)
    dt_samples = check_positive_scalar("dt_samples", dt_samples)
    dt_integration = check_positive_scalar("dt_integration", dt_integration)
    ratio = dt_samples / dt_integration
    if abs(ratio - round(ratio)) > 1e-9 * max(1.0, ratio):
        raise ValueError(
            f"`dt_samples` ({dt_samples}) must be an integer multiple of `dt_integration` "
            f"({dt_integration}); e.g. dt_integration={dt_samples / math.ceil(ratio):g}."
        )
    T_discard = check_nonnegative_scalar("T_discard", T_discard)
    for name, arr in (("x0", x0_np), ("Js", Js_np)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"`{name}` contains non-finite values (NaN or inf).")

    dtype = x0_np.dtype if np.issubdtype(x0_np.dtype, np.floating) else np.float32
    y0 = jnp.asarray(x0_np, dtype)
    J = jnp.asarray(Js_np, dtype)
    params = GatedParams(g_h, alpha_z, alpha_r, beta_h, beta_z, beta_r, tau_z, tau_r)
    couplings = Couplings(J[0], J[1], J[2])
    t1 = T_discard + (N_samples - 1) * dt_samples
    if show:
        print("Running Integrator ...")
    start = time.perf_counter()
    if t1 == 0.0:
        ys = np.asarray(y0)[None]
    else:
        n_steps = math.ceil(t1 / dt_integration * (1 - 1e-12)) + 2
        sol = simulate(
            params,
            couplings,
            y0,
            t1=t1,
            save_every=dt_samples,
            t_discard=T_discard,
            solver=RK4() if solver is None else solver,
            dt0=dt_integration,
            max_steps=n_steps,
        )
        ys = np.asarray(sol.ys)
    elapsed = time.perf_counter() - start
    if show:
        print("End of Integration")
        print(f"Integration Time {elapsed:.2f} [seg] = {elapsed / 60:.4f} [min]")
    out = np.ascontiguousarray(np.transpose(ys, (1, 0, 2))).astype(dtype, copy=False)
    if _is_torch(x0):
        import torch  # already imported by the caller

        return torch.from_numpy(out)
    return out
