"""`simulate`: the gated network integrated with diffrax."""

import math
from typing import Any

import diffrax as dfx
import equinox as eqx
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike

from ._misc import (
    check_finite,
    check_int_at_least,
    check_nonnegative_scalar,
    check_positive_scalar,
    default_float,
)
from ._model import Couplings, GatedParams, Inputs, check_system, vector_field
from ._solution import RESULTS, Solution

#: Default tolerances (rtol = atol) of the adaptive Tsit5 + PID solve, by precision. In float64,
#: 1e-7 makes the default at least as accurate as fixed-step RK4 at dt = 0.1 on the seed's
#: example (benchmarks/README.md). In float32 the rounding of the inputs alone, amplified by
#: chaos, limits agreement with an exact solution to ~1e-6, so tighter tolerances only cost steps.
DEFAULT_TOL = {"float64": 1e-7, "float32": 1e-6, "float16": 1e-3, "bfloat16": 1e-2}


def save_times(
    t0: float, t1: float, *, save_every: float | None = None, t_discard: float = 0.0
) -> np.ndarray:
    """Host-side save grid: `t0 + t_discard + k * save_every` for every `k` with time `<= t1`.

    With `save_every=None` the only save time is `t1`.
    """
    if save_every is None:
        return np.asarray([t1])
    start = t0 + t_discard
    count = math.floor((t1 - start) / save_every * (1 + 1e-12) + 1e-9) + 1
    return start + save_every * np.arange(count)


def simulate(
    params: GatedParams,
    couplings: Couplings,
    y0: ArrayLike,
    *,
    t1: float,
    t0: float = 0.0,
    ts: ArrayLike | None = None,
    save_every: float | None = None,
    t_discard: float = 0.0,
    inputs: Inputs | None = None,
    solver: dfx.AbstractSolver | None = None,
    dt0: float | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    stepsize_controller: dfx.AbstractStepSizeController | None = None,
    max_steps: int = 100_000,
    adjoint: dfx.AbstractAdjoint | None = None,
    progress: bool = False,
    throw: bool = True,
) -> Solution:
    r"""Integrate the gated network from `y0` at time `t0` to `t1`.

    Wraps `diffrax.diffeqsolve` around [`gatedjax.vector_field`][]. The solve is compiled once
    per (shape, dtype, solver configuration): changing parameter values, couplings, initial
    states, `t0`/`t1`, or save times with the same count does not recompile.

    **Arguments:**

    - `params`: a [`gatedjax.GatedParams`][] (fields scalar or `(n,)`).
    - `couplings`: a [`gatedjax.Couplings`][] with matrices of shape `(n, n)`.
    - `y0`: initial state, shape `(3, n)` with rows `h, z, r`. Its floating dtype sets the
        precision of the whole solve (float32 or float64; float64 needs
        `jax.config.update("jax_enable_x64", True)`).
    - `t1`: final time; `t0`: initial time (default `0`).
    - `ts`: explicit save times, shape `(t,)`, non-decreasing, in `[t0, t1]`. Or:
    - `save_every`: save every `save_every` time units, starting at `t0 + t_discard`
        (the transient `t_discard` is integrated but not saved). If neither `ts` nor
        `save_every` is given, only the state at `t1` is saved.
    - `inputs`: optional [`gatedjax.Inputs`][] drives.
    - `solver`: any diffrax solver; default `diffrax.Tsit5()`.
    - `dt0`: if given (and `stepsize_controller` is not), a **fixed** step of `dt0`. If `None`,
        the step is adaptive: `diffrax.PIDController(rtol=rtol, atol=atol)`, defaults
        `rtol = atol = 1e-5`.
    - `stepsize_controller`: any diffrax step-size controller (overrides `rtol`/`atol`).
    - `max_steps`: the most solver steps allowed; reaching it is an error (see `throw`).
    - `adjoint`: diffrax adjoint for `jax.grad` (default `RecursiveCheckpointAdjoint()`;
        `BacksolveAdjoint()` for memory-light long horizons).
    - `progress`: show a tqdm progress bar (diffrax's `TqdmProgressMeter`).
    - `throw`: raise on failure (default). Pass `throw=False` inside vmapped sweeps and read
        `Solution.result` instead.

    **Returns:** a [`gatedjax.Solution`][] with `ts` of shape `(t,)` and `ys` of shape `(t, 3, n)`.

    **Raises:** `ValueError` for bad shapes, non-finite inputs, non-positive intervals or save
    times outside `[t0, t1]`, before compilation. With `throw=True`, a runtime error when
    `max_steps` is reached or the trajectory becomes non-finite.

    !!! example
        ```python
        import jax.random as jr, gatedjax as gj
        kJ, ky = jr.split(jr.key(0))
        J = gj.sample_couplings(kJ, 200)
        sol = gj.simulate(gj.GatedParams(g_h=3.0), J, gj.sample_state(ky, 200),
                          t1=100.0, save_every=1.0, t_discard=20.0)
        sol.ys.shape  # (81, 3, 200)
        ```
    """
    check_system(params, couplings, y0)
    t0 = _finite_float("t0", t0)
    t1 = _finite_float("t1", t1)
    if not t1 > t0:
        raise ValueError(f"`t1` must be greater than `t0`; got t0={t0}, t1={t1}.")
    t_discard = check_nonnegative_scalar("t_discard", t_discard)
    if ts is not None and (save_every is not None or t_discard):
        raise ValueError("pass either `ts` or (`save_every`, `t_discard`), not both.")
    if ts is None:
        if save_every is not None:
            save_every = check_positive_scalar("save_every", save_every)
        if t0 + t_discard > t1:
            raise ValueError(f"`t_discard` ({t_discard}) must not exceed t1 - t0 ({t1 - t0}).")
        ts = save_times(t0, t1, save_every=save_every, t_discard=t_discard)
    else:
        ts_np = np.asarray(ts)
        if ts_np.ndim != 1 or ts_np.size == 0:
            raise ValueError(f"`ts` must be a non-empty 1-D array of times, got {ts_np.shape}.")
        check_finite("ts", ts_np)
        if np.any(np.diff(ts_np) < 0) or ts_np[0] < t0 or ts_np[-1] > t1:
            raise ValueError(f"`ts` must be non-decreasing and lie in [t0, t1] = [{t0}, {t1}].")
    if dt0 is not None:
        dt0 = check_positive_scalar("dt0", dt0)
    max_steps = check_int_at_least("max_steps", max_steps, 1)
    y0 = jnp.asarray(y0)
    dtype = y0.dtype if jnp.issubdtype(y0.dtype, jnp.floating) else default_float()
    if stepsize_controller is None:
        if dt0 is None:
            tol = DEFAULT_TOL.get(jnp.dtype(dtype).name, 1e-6)
            rtol = tol if rtol is None else check_positive_scalar("rtol", rtol)
            atol = tol if atol is None else check_positive_scalar("atol", atol)
            stepsize_controller = dfx.PIDController(rtol=rtol, atol=atol)
        else:
            stepsize_controller = dfx.ConstantStepSize()
    return _simulate(
        params.astype(dtype),
        couplings.astype(dtype),
        y0.astype(dtype),
        jnp.asarray(ts, dtype),
        jnp.asarray(t0, dtype),
        jnp.asarray(t1, dtype),
        None if dt0 is None else jnp.asarray(dt0, dtype),
        inputs,
        dfx.Tsit5() if solver is None else solver,
        stepsize_controller,
        dfx.RecursiveCheckpointAdjoint() if adjoint is None else adjoint,
        max_steps,
        dfx.TqdmProgressMeter() if progress else dfx.NoProgressMeter(),
        throw,
    )


@eqx.filter_jit
def _simulate(
    params, couplings, y0, ts, t0, t1, dt0, inputs, solver, controller, adjoint, max_steps,
    progress_meter, throw,
) -> Solution:
    args = (params, couplings) if inputs is None else (params, couplings, inputs)
    sol = dfx.diffeqsolve(
        dfx.ODETerm(vector_field),
        solver,
        t0,
        t1,
        dt0,
        y0,
        args=args,
        saveat=dfx.SaveAt(ts=ts),
        stepsize_controller=controller,
        adjoint=adjoint,
        max_steps=max_steps,
        progress_meter=progress_meter,
        throw=False,
    )
    result = RESULTS.promote(sol.result)
    finite = jnp.all(jnp.isfinite(sol.ys))
    result = RESULTS.where(
        (result == RESULTS.successful) & ~finite, RESULTS.nonfinite_state, result
    )
    ys = sol.ys
    if throw:
        ys = result.error_if(ys, result != RESULTS.successful)
    stats = {k: sol.stats[k] for k in ("num_steps", "num_accepted_steps", "num_rejected_steps")}
    return Solution(ts=sol.ts, ys=ys, stats=stats, result=result)


def _finite_float(name: str, x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a finite number, got {x!r}.") from None
    if not math.isfinite(v):
        raise ValueError(f"`{name}` must be a finite number, got {x!r}.")
    return v
