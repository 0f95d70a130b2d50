"""Lyapunov spectra by the Benettin/QR method, for any diffrax-style vector field."""

from collections.abc import Callable
from typing import Any

import diffrax as dfx
import equinox as eqx
import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np
from jaxtyping import Array, Float, PRNGKeyArray, PyTree

from ._misc import (
    check_finite,
    check_int_at_least,
    check_nonnegative_scalar,
    check_positive_scalar,
)
from ._model import Couplings, GatedParams, J_dot, check_system, gates, phi, vector_field
from ._solution import RESULTS


class LyapunovSolution(eqx.Module):
    """Result of [`gatedjax.lyapunov_spectrum`][].

    **Fields** (`k` exponents, `m` averaging intervals; leading batch axes from `vmap`):

    - `exponents`: `(k,)` the Lyapunov exponents, in decreasing order.
    - `history`: `(m, k)` running estimates after each re-orthonormalisation (convergence).
    - `times`: `(m,)` averaging time elapsed at each history row.
    - `stderr`: `(k,)` standard error of each exponent from `n_blocks` block averages of the
        local exponents (treats blocks as independent: make blocks longer than the correlation
        time).
    - `kaplan_yorke`: the Kaplan–Yorke dimension from these `k` exponents (if all partial sums
        are >= 0 it equals `k`, a lower bound: compute more exponents).
    - `entropy`: sum of the positive exponents (Pesin's upper bound on the KS entropy rate).
    - `mean_trace`: time average of the Jacobian trace over the averaging window (NaN unless a
        trace was computed); for `k = D` the exponents must sum to it (Liouville).
    - `y_final`: the state at the end.
    - `result`: a [`gatedjax.RESULTS`][] code.
    """

    exponents: Float[Array, " k"]
    history: Float[Array, "m k"]
    times: Float[Array, " m"]
    stderr: Float[Array, " k"]
    kaplan_yorke: Float[Array, ""]
    entropy: Float[Array, ""]
    mean_trace: Float[Array, ""]
    y_final: PyTree
    result: RESULTS


class _LyapunovState(eqx.Module):
    y: Array  # flat state, (D,)
    Q: Array  # orthonormal tangent frame, (D, k)
    trace_integral: Array  # ∫ tr J dt over the current interval


def kaplan_yorke(exponents: Float[Array, " k"]) -> Float[Array, ""]:
    """Kaplan–Yorke dimension `j + S_j / |λ_{j+1}|`, `j` the largest index with partial sum
    `S_j >= 0` (exponents sorted decreasingly). `0` if `λ_1 < 0`; `k` if every partial sum is
    `>= 0` (a lower bound)."""
    lam = jnp.sort(exponents)[::-1]
    k = lam.shape[0]
    csum = jnp.cumsum(lam)
    j = jnp.sum(csum >= 0)  # partial sums are decreasing once exponents turn negative
    nxt = lam[jnp.minimum(j, k - 1)]
    frac = jnp.where(j > 0, csum[jnp.maximum(j - 1, 0)], 0.0) / jnp.abs(nxt)
    jf = j.astype(lam.dtype)
    return jnp.where(j >= k, jnp.asarray(k, lam.dtype), jf + jnp.where(j > 0, frac, 0.0))


def lyapunov_spectrum(
    vector_field: Callable[[Any, Array, Any], Array],
    y0: Array,
    args: Any = None,
    *,
    k: int,
    t1: float,
    reortho_every: float = 1.0,
    t_transient: float = 0.0,
    t_ortho_transient: float | None = None,
    solver: dfx.AbstractSolver | None = None,
    dt0: float | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    max_steps: int = 4096,
    tangent: str = "jvp",
    trace: str | Callable[[Any, Array, Any], Array] | None = None,
    n_blocks: int = 10,
    key: PRNGKeyArray | None = None,
    progress: bool = False,
    throw: bool = True,
) -> LyapunovSolution:
    r"""The `k` largest Lyapunov exponents of $\dot y = f(t, y, \text{args})$ (Benettin/QR).

    The state and `k` tangent vectors $\dot Q = J(y)Q$ are integrated together with diffrax
    (same solver and steps, so the tangent dynamics is linearised at the same stages); every
    `reortho_every` time units $Q$ is re-orthonormalised by QR and $\log|\mathrm{diag}\,R|$
    accumulated. Everything after argument checking is one `jax.lax.scan`, jit-compiled, and
    vmappable over `args` (parameters) and `y0`.

    **Arguments:**

    - `vector_field`: `f(t, y, args)` with diffrax's signature, returning the shape of `y`.
    - `y0`: initial state, any array shape (flattened internally to `D` components).
    - `args`: passed to `vector_field` (e.g. `(params, couplings)` for the gated model).
    - `k`: number of exponents, `1 <= k <= D`.
    - `t1`: averaging time (after the transients); rounded to whole `reortho_every` intervals.
    - `reortho_every`: time between QR re-orthonormalisations.
    - `t_transient`: time the state alone is integrated first (tangents not evolved).
    - `t_ortho_transient`: time the state and tangents are evolved, with QR, before averaging
        starts, so that `Q` aligns with the leading directions. Default `t1 / 10`.
    - `solver`, `dt0`, `rtol`, `atol`: diffrax solver (default `Tsit5`); with `dt0` a fixed
        step (`reortho_every` must be a multiple of it), else adaptive PID with `rtol = atol =
        1e-8` in float64, `1e-5` in float32.
    - `max_steps`: solver steps allowed per re-orthonormalisation interval.
    - `tangent`: `"jvp"` (matrix-free: `jax.linearize` then `vmap` over the `k` vectors),
        `"dense"` (form `jax.jacfwd` and multiply; only sensible for small `D`), or a callable
        `tangent_fn(t, y, Q, args) -> (f, JQ)` giving the field and the Jacobian applied to
        the `(*y.shape, k)` frame `Q` in one pass (e.g. an analytic, fused formula).
    - `trace`: how to compute `mean_trace`: `None` (default: `"exact"` when `k = D`, else
        skipped), `"exact"` (`D` JVPs per evaluation), or a callable `trace_fn(t, y, args)`
        returning $\mathrm{tr}\,J$ (e.g. an analytic formula).
    - `n_blocks`: number of blocks for `stderr`.
    - `key`: PRNG key for the random initial frame; default `jax.random.key(0)` (so results
        are reproducible).
    - `progress`: show a tqdm bar over the re-orthonormalisation intervals (host callback;
        leave off under `vmap`).
    - `throw`: raise on solver failure; `False` to read `result` (e.g. under `vmap`).

    **Returns:** a [`gatedjax.LyapunovSolution`][].

    **Raises:** `ValueError` for `k` outside `[1, D]`, non-positive intervals, a fixed step that
    does not divide `reortho_every`, or a vector field whose output shape differs from `y0`'s.

    !!! example
        ```python
        def lorenz(t, y, args):
            x, y_, z = y
            return jnp.stack([10 * (y_ - x), x * (28 - z) - y_, x * y_ - 8 / 3 * z])
        sol = gj.lyapunov_spectrum(lorenz, jnp.ones(3), k=3, t1=1000.0, t_transient=50.0)
        sol.exponents  # ≈ [0.906, 0.0, -14.57]
        ```
    """
    y0 = jnp.asarray(y0)
    if not jnp.issubdtype(y0.dtype, jnp.floating):
        raise ValueError(f"`y0` must be a floating-point array, got dtype {y0.dtype}.")
    check_finite("y0", y0)
    D = int(np.prod(y0.shape, dtype=int))
    k = check_int_at_least("k", k, 1)
    if k > D:
        raise ValueError(f"`k` must be between 1 and the state dimension D = {D}; got {k}.")
    t1 = check_positive_scalar("t1", t1)
    reortho_every = check_positive_scalar("reortho_every", reortho_every)
    t_transient = check_nonnegative_scalar("t_transient", t_transient)
    t_ortho_transient = check_nonnegative_scalar(
        "t_ortho_transient", 0.1 * t1 if t_ortho_transient is None else t_ortho_transient
    )
    n_avg = max(1, round(t1 / reortho_every))
    n_ortho = round(t_ortho_transient / reortho_every)
    n_blocks = min(check_int_at_least("n_blocks", n_blocks, 2), n_avg) if n_avg > 1 else 1
    if not (callable(tangent) or tangent in ("jvp", "dense")):
        raise ValueError(f"`tangent` must be 'jvp', 'dense' or a callable, got {tangent!r}.")
    if trace is None:
        trace = "exact" if k == D else "none"
    if not (callable(trace) or trace in ("exact", "none")):
        raise ValueError(f"`trace` must be None, 'exact' or a callable, got {trace!r}.")
    if dt0 is not None:
        dt0 = check_positive_scalar("dt0", dt0)
        ratio = reortho_every / dt0
        if abs(ratio - round(ratio)) > 1e-9 * ratio:
            raise ValueError(
                f"`reortho_every` ({reortho_every}) must be a multiple of the fixed step `dt0` "
                f"({dt0})."
            )
    out = jax.eval_shape(vector_field, jnp.zeros((), y0.dtype), y0, args)
    if getattr(out, "shape", None) != y0.shape:
        raise ValueError(
            f"`vector_field(t, y0, args)` must return the shape of `y0` {y0.shape}; got "
            f"{getattr(out, 'shape', type(out).__name__)}."
        )
    dtype = y0.dtype
    if dt0 is None:
        tol = 1e-8 if dtype == jnp.float64 else 1e-5
        controller = dfx.PIDController(rtol=tol if rtol is None else rtol,
                                       atol=tol if atol is None else atol)
    else:
        controller = dfx.ConstantStepSize()
    key = jr.key(0) if key is None else key
    if progress:
        from tqdm.auto import tqdm

        _PROGRESS["bar"] = tqdm(total=n_ortho + n_avg, desc="Lyapunov QR intervals")
    try:
        return _lyapunov(
            vector_field, y0, args, k, jnp.asarray(reortho_every, dtype),
            jnp.asarray(t_transient, dtype), n_ortho, n_avg, n_blocks,
            dfx.Tsit5() if solver is None else solver,
            None if dt0 is None else jnp.asarray(dt0, dtype), controller, max_steps, tangent,
            trace, key, progress, throw,
        )
    finally:
        if progress:
            jax.effects_barrier()
            _PROGRESS.pop("bar").close()


#: The live progress bar, updated from inside the compiled scan by a host callback.
_PROGRESS: dict = {}


def _tick(_):
    bar = _PROGRESS.get("bar")
    if bar is not None:
        bar.update(1)


@eqx.filter_jit
def _lyapunov(vf, y0, args, k, delta, t_transient, n_ortho, n_avg, n_blocks, solver, dt0,
              controller, max_steps, tangent, trace, key, progress, throw):
    shape, dtype = y0.shape, y0.dtype
    D = y0.size
    flat = lambda t, x: vf(t, x.reshape(shape), args).reshape(-1)

    def tangent_field(t, state: _LyapunovState, _):
        if callable(tangent):
            fy, JQ = tangent(t, state.y.reshape(shape), state.Q.reshape(*shape, k), args)
            fy, JQ = fy.reshape(-1), JQ.reshape(D, k)
        elif tangent == "dense":
            J = jax.jacfwd(lambda x: flat(t, x))(state.y)
            fy, JQ = flat(t, state.y), J @ state.Q
        else:
            fy, jvp = jax.linearize(lambda x: flat(t, x), state.y)
            JQ = jax.vmap(jvp, in_axes=1, out_axes=1)(state.Q)
        if callable(trace):
            tr = trace(t, state.y.reshape(shape), args)
        elif trace == "exact":
            if tangent == "dense":
                tr = jnp.trace(J)
            else:  # D JVPs along the basis (the primal is shared with the "jvp" path by CSE)
                _, jvp_basis = jax.linearize(lambda x: flat(t, x), state.y)
                eye = jnp.eye(D, dtype=dtype)
                tr = jnp.sum(jnp.diagonal(jax.vmap(jvp_basis, in_axes=1, out_axes=1)(eye)))
        else:
            tr = jnp.zeros((), dtype)
        return _LyapunovState(fy, JQ, jnp.asarray(tr, dtype))

    term = dfx.ODETerm(tangent_field)

    def solve(t0, state, t_end):
        sol = dfx.diffeqsolve(term, solver, t0, t_end, dt0, state,
                              stepsize_controller=controller, max_steps=max_steps,
                              saveat=dfx.SaveAt(t1=True), throw=False)
        return jax.tree_util.tree_map(lambda x: x[-1], sol.ys), RESULTS.promote(sol.result)

    # 1. state-only transient (no tangents: D-dimensional solve)
    y = y0.reshape(-1)
    zero = jnp.zeros((), dtype)
    result = RESULTS.successful
    state_term = dfx.ODETerm(lambda t, x, _: flat(t, x))
    sol = dfx.diffeqsolve(state_term, solver, zero, t_transient, dt0, y,
                          stepsize_controller=controller, max_steps=64 * max_steps, throw=False)
    y = sol.ys[-1]
    result = RESULTS.where(result == RESULTS.successful, RESULTS.promote(sol.result), result)

    Q0, _ = jnp.linalg.qr(jr.normal(key, (D, k), dtype))

    def interval(carry, i):
        t, state, result = carry
        new, res = solve(t, _LyapunovState(state.y, state.Q, zero), t + delta)
        Q, R = jnp.linalg.qr(new.Q)
        diag = jnp.diagonal(R)
        Q = Q * jnp.where(diag < 0, -1.0, 1.0).astype(dtype)[None, :]
        result = RESULTS.where(result == RESULTS.successful, res, result)
        if progress:
            jax.debug.callback(_tick, i)
        out = (jnp.log(jnp.abs(diag)), new.trace_integral)
        return (t + delta, _LyapunovState(new.y, Q, zero), result), out

    carry = (t_transient, _LyapunovState(y, Q0, zero), result)
    carry, _ = jax.lax.scan(interval, carry, jnp.arange(n_ortho))
    carry, (logs, trace_ints) = jax.lax.scan(interval, carry, jnp.arange(n_avg))
    _, final, result = carry

    finite = jnp.all(jnp.isfinite(logs)) & jnp.all(jnp.isfinite(final.y))
    result = RESULTS.where((result == RESULTS.successful) & ~finite, RESULTS.nonfinite_state,
                           result)
    times = delta * jnp.arange(1, n_avg + 1, dtype=dtype)
    history = jnp.cumsum(logs, axis=0) / times[:, None]
    exponents = history[-1]
    order = jnp.argsort(-exponents)
    exponents, history, local = exponents[order], history[:, order], logs[:, order] / delta
    per = n_avg // n_blocks
    blocks = local[: per * n_blocks].reshape(n_blocks, per, k).mean(axis=1)
    stderr = jnp.std(blocks, axis=0, ddof=1) / jnp.sqrt(n_blocks) if n_blocks > 1 else \
        jnp.full((k,), jnp.nan, dtype)
    mean_trace = jnp.sum(trace_ints) / times[-1] if not (trace == "none") else jnp.asarray(
        jnp.nan, dtype)
    if throw:
        exponents = result.error_if(exponents, result != RESULTS.successful)
    return LyapunovSolution(
        exponents=exponents, history=history, times=times, stderr=stderr,
        kaplan_yorke=kaplan_yorke(exponents),
        entropy=jnp.sum(jnp.where(exponents > 0, exponents, 0.0)),
        mean_trace=mean_trace, y_final=final.y.reshape(shape), result=result,
    )


def max_lyapunov(vector_field, y0, args=None, **kwargs) -> Float[Array, ""]:
    """The largest Lyapunov exponent: [`gatedjax.lyapunov_spectrum`][] with `k = 1`."""
    return lyapunov_spectrum(vector_field, y0, args, k=1, **kwargs).exponents[0]


def gated_jacobian_trace(t, y, args) -> Float[Array, ""]:
    r"""Analytic trace of the gated Jacobian (theory notes §6):

    $\mathrm{tr}\,\mathcal D = \sum_i \sigma_z(z_i)\big(-1 + J^h_{ii}\sigma_r(r_i)\phi'(h_i)\big)
    - \sum_i (1/\tau_{z,i} + 1/\tau_{r,i})$.
    """
    del t
    params, couplings = args[0], args[1]
    params = params.astype(y.dtype)
    ph = phi(params, y[0])
    sz, sr = gates(params, y)
    dph = params.g_h * (1 - ph**2)
    n = y.shape[-1]
    hh = jnp.sum(sz * (-1 + jnp.diagonal(couplings.J_h).astype(y.dtype) * sr * dph))
    ones = jnp.ones((n,), y.dtype)
    return hh - jnp.sum(ones / params.tau_z) - jnp.sum(ones / params.tau_r)


def gated_tangent(t, y, Q, args):
    """The gated field and its Jacobian applied to a frame `Q` of shape `(3, n, k)`, fused.

    Each coupling matrix multiplies the primal and the `k` tangent vectors in one
    `(n, n) @ (n, 1 + k)` product, so every matrix is read from memory once per evaluation
    (JVPs via `jax.linearize` read it twice: once for the primal, once for the tangents).
    Checked against `jax.jvp` of [`gatedjax.vector_field`][] in the tests.
    """
    del t
    params, couplings = args[0], args[1]
    if len(args) == 3 and args[2] is not None:
        raise ValueError("gated_tangent does not support external inputs; use tangent='jvp'.")
    params = params.astype(y.dtype)
    h, z, r = y
    Qh, Qz, Qr = Q
    ph = phi(params, h)
    dph = params.g_h * (1 - ph**2)
    sz, sr = gates(params, y)
    dsz = params.alpha_z * sz * (1 - sz)
    dsr = params.alpha_r * sr * (1 - sr)
    col = lambda v: v[:, None]
    dphQ = col(dph) * Qh
    Bh = J_dot(couplings.J_h, jnp.concatenate([col(ph * sr), col(sr) * dphQ + col(ph * dsr) * Qr], 1))
    A = jnp.concatenate([col(ph), dphQ], 1)
    Bz, Br = J_dot(couplings.J_z, A), J_dot(couplings.J_r, A)
    eta = Bh[:, 0]
    f = jnp.stack([sz * (eta - h), (Bz[:, 0] - z) / params.tau_z, (Br[:, 0] - r) / params.tau_r])
    JQ = jnp.stack([
        col(sz) * (Bh[:, 1:] - Qh) + col(dsz * (eta - h)) * Qz,
        (Bz[:, 1:] - Qz) / col(params.tau_z * jnp.ones_like(z)),
        (Br[:, 1:] - Qr) / col(params.tau_r * jnp.ones_like(r)),
    ])
    return f, JQ


def gated_lyapunov_spectrum(
    params: GatedParams, couplings: Couplings, y0: Array, *, k: int, **kwargs
) -> LyapunovSolution:
    """[`gatedjax.lyapunov_spectrum`][] for the gated network, with its analytic Jacobian trace
    (so `mean_trace` is always available for the sum rule, at no extra cost) and the fused
    analytic tangent [`gatedjax.gated_tangent`][] (pass `tangent="jvp"` to use autodiff).

    `y0` has shape `(3, n)`; other keyword arguments as for `lyapunov_spectrum`.
    """
    check_system(params, couplings, y0)
    kwargs.setdefault("trace", gated_jacobian_trace)
    kwargs.setdefault("tangent", gated_tangent)
    return lyapunov_spectrum(vector_field, jnp.asarray(y0), (params, couplings), k=k, **kwargs)
