"""Fixed points and slow points of the gated network (optimistix)."""

from typing import Literal

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optimistix as optx
from jaxtyping import Array, Bool, Float

from ._jacobian import eigvals, jacobian
from ._misc import default_float
from ._model import Couplings, GatedParams, J_dot, check_system, phi, vector_field


def _check_starts(params, couplings, y0s):
    """Validate a batch of starting states; returns `(y0s of shape (b, 3, n), n)`."""
    y0s = jnp.asarray(y0s)
    if y0s.ndim == 2:
        y0s = y0s[None]
    if y0s.ndim != 3 or y0s.shape[0] == 0:
        raise ValueError(f"`y0s` must have shape (b, 3, n) or (3, n); got {y0s.shape}.")
    n = check_system(params, couplings, y0s[0], name="y0s[0]")
    if not bool(jnp.all(jnp.isfinite(y0s))):
        raise ValueError("`y0s` contains non-finite values (NaN or inf).")
    return y0s, n


def _h_residual(h, args):
    # At a fixed point z = J^z φ(h) and r = J^r φ(h) exactly, and σ_z > 0 drops out of the h
    # equation: the 3n-dimensional problem reduces to G(h) = 0 in n dimensions. This is also
    # why α_z, β_z, τ_z, τ_r never move fixed points.
    params, couplings = args
    ph = phi(params, h)
    r = J_dot(couplings.J_r, ph)
    sr = jax.nn.sigmoid(params.alpha_r * r - params.beta_r)
    return J_dot(couplings.J_h, ph * sr) - h


def _full_state(params, couplings, h):
    ph = phi(params, h)
    return jnp.stack([h, J_dot(couplings.J_z, ph), J_dot(couplings.J_r, ph)])


class FixedPoints(eqx.Module):
    """Fixed points found from a batch of starts, de-duplicated and classified.

    **Fields** (`b` starts, `k` distinct converged points, state shape `(3, n)`):

    - `points`: `(b, 3, n)` the end point of each start.
    - `residuals`: `(b,)` max-norm of the ungated residual `J^h(φ σ_r) - h` at each end point
        (the `z`, `r` equations hold exactly by construction).
    - `converged`: `(b,)` residual below `tol` and solver success.
    - `unique`: `(k, 3, n)` distinct converged points; `counts`: `(k,)` starts that reached each.
    - `max_real`: `(k,)` largest real part of the Jacobian spectrum at each distinct point.
    - `stability`: `k` labels, `"stable"`, `"unstable"` or `"marginal"` (|max_real| <= `marginal_tol`).
    """

    points: Float[Array, "b 3 n"]
    residuals: Float[Array, " b"]
    converged: Bool[Array, " b"]
    unique: np.ndarray
    counts: np.ndarray
    max_real: np.ndarray
    stability: tuple[str, ...]

    @property
    def n_unique(self) -> int:
        """Number of distinct fixed points found: a lower bound on the true number."""
        return int(self.unique.shape[0])


@eqx.filter_jit
def _solve_batch(params, couplings, h0s, method, rtol, atol, max_steps):
    args = (params, couplings)
    residual = lambda h: jnp.max(jnp.abs(_h_residual(h, args)))
    newton = lambda h0, steps: optx.root_find(
        _h_residual, optx.Newton(rtol=rtol, atol=atol), h0, args, max_steps=steps, throw=False
    )

    def one(h0):
        if method == "newton":
            sol = newton(h0, max_steps)
            h, ok = sol.value, sol.result == optx.RESULTS.successful
        else:
            # Levenberg–Marquardt finds the basin; its termination test (relative change in y
            # and f) can stop at residuals ~1e-4 in float32, so polish with Newton, which
            # converges quadratically from there, and keep whichever residual is smaller.
            solver = optx.LevenbergMarquardt(rtol=rtol, atol=atol)
            lm = optx.least_squares(
                _h_residual, solver, h0, args,
                max_steps=max_steps, throw=False,
            )
            polished = newton(lm.value, 20)
            better = jnp.isfinite(residual(polished.value)) & (
                residual(polished.value) < residual(lm.value)
            )
            h = jnp.where(better, polished.value, lm.value)
            ok = jnp.asarray(True)
        return _full_state(params, couplings, h), residual(h), ok

    return jax.vmap(one)(h0s)


def find_fixed_points(
    params: GatedParams,
    couplings: Couplings,
    y0s: Float[Array, "b 3 n"],
    *,
    method: Literal["newton", "lm"] = "lm",
    tol: float | None = None,
    max_steps: int = 200,
    dedup_tol: float | None = None,
    marginal_tol: float = 1e-6,
) -> FixedPoints:
    r"""Find fixed points $f(y) = 0$ from a batch of initial states (vmapped).

    The problem is reduced exactly to $G(h) = J^h(\phi(h)\odot\sigma_r(J^r\phi(h))) - h = 0$
    (then $z = J^z\phi(h)$, $r = J^r\phi(h)$), solved by `optimistix.Newton` (`method="newton"`)
    or Levenberg–Marquardt on $\|G\|^2$ (`method="lm"`, the default: it converges from far
    more starts in chaotic regimes, where Newton diverges).
    Converged points are de-duplicated on the host and classified by their Jacobian spectrum.

    **Arguments:**

    - `params`, `couplings`: the network.
    - `y0s`: starts, shape `(b, 3, n)` (only the `h` rows are used) or `(3, n)` for one start.
    - `tol`: residual tolerance (max-norm of $G$); default `1e-9` in float64, `1e-4` in float32.
    - `max_steps`: solver iterations per start.
    - `dedup_tol`: two points are the same if their RMS distance is below this; default
        `1e3 * tol`.
    - `marginal_tol`: `|max Re λ| <= marginal_tol` is classified `"marginal"`.

    **Returns:** a [`gatedjax.FixedPoints`][].

    **Raises:** `ValueError` for malformed shapes or non-finite starts.
    """
    y0s, n = _check_starts(params, couplings, y0s)
    if method not in ("newton", "lm"):
        raise ValueError(f"`method` must be 'newton' or 'lm', got {method!r}.")
    dtype = y0s.dtype
    if tol is None:
        tol = 1e-9 if dtype == jnp.float64 else 1e-4
    dedup_tol = 1e3 * tol if dedup_tol is None else dedup_tol
    # optimistix creates float64 scalars when x64 is enabled, which breaks float32 solves
    # (lineax structure checks); so with x64 on we solve in float64 and return `dtype`.
    solve_dtype = default_float() if dtype == jnp.float32 else dtype
    params = params.astype(solve_dtype)
    couplings = couplings.astype(solve_dtype)
    points, residuals, ok = _solve_batch(
        params, couplings, y0s[:, 0].astype(solve_dtype), method, 0.1 * tol, 0.1 * tol,
        max_steps,
    )
    points, residuals = points.astype(dtype), residuals.astype(dtype)
    converged = ok & (residuals <= tol) & jnp.all(jnp.isfinite(points), axis=(1, 2))

    pts = np.asarray(points)
    conv = np.asarray(converged)
    unique, counts = [], []
    for i in np.flatnonzero(conv):
        for j, u in enumerate(unique):
            if np.sqrt(np.mean((pts[i] - u) ** 2)) < dedup_tol:
                counts[j] += 1
                break
        else:
            unique.append(pts[i])
            counts.append(1)
    unique_arr = np.stack(unique) if unique else np.zeros((0, 3, n), pts.dtype)
    if unique:
        spectra = jax.vmap(lambda y: eigvals(jacobian(params, couplings, y)))(
            jnp.asarray(unique_arr)
        )
        max_real = np.asarray(jnp.max(spectra.real, axis=-1))
    else:
        max_real = np.zeros((0,), pts.dtype)
    labels = tuple(
        "marginal" if abs(m) <= marginal_tol else ("stable" if m < 0 else "unstable")
        for m in max_real
    )
    return FixedPoints(points, residuals, converged, unique_arr, np.asarray(counts, int),
                       max_real, labels)


class SlowPoints(eqx.Module):
    """Local minima of the speed $q(y) = \\tfrac12\\|f(y)\\|^2$ from a batch of starts.

    - `points`: `(b, 3, n)`; `speed`: `(b,)` the value of $q$ at each; `converged`: `(b,)`.
    """

    points: Float[Array, "b 3 n"]
    speed: Float[Array, " b"]
    converged: Bool[Array, " b"]


def find_slow_points(
    params: GatedParams,
    couplings: Couplings,
    y0s: Float[Array, "b 3 n"],
    *,
    tol: float | None = None,
    max_steps: int = 2000,
) -> SlowPoints:
    r"""Minimise $q(y) = \tfrac12\|f(y)\|^2$ of the full gated field with BFGS (vmapped).

    Slow points (small but nonzero $q$) are where trajectories linger: ghosts of fixed points,
    and the approximate line attractors of large-$\alpha_z$ networks, where $\sigma_z$ makes
    $f$ tiny on whole manifolds. Unlike [`gatedjax.find_fixed_points`][], $q$ includes the gate
    $\sigma_z$, so it depends on $\alpha_z, \beta_z, \tau_z, \tau_r$.
    """
    y0s, _ = _check_starts(params, couplings, y0s)
    dtype = y0s.dtype
    tol = (1e-10 if dtype == jnp.float64 else 1e-5) if tol is None else tol
    solve_dtype = default_float() if dtype == jnp.float32 else dtype  # see find_fixed_points
    out = _slow(params.astype(solve_dtype), couplings.astype(solve_dtype),
                y0s.astype(solve_dtype), tol, max_steps)
    return SlowPoints(out.points.astype(dtype), out.speed.astype(dtype), out.converged)


@eqx.filter_jit
def _slow(params, couplings, y0s, tol, max_steps):
    def q(y, args):
        f = vector_field(0.0, y, args)
        return 0.5 * jnp.sum(f**2)

    solver = optx.BFGS(rtol=tol, atol=tol)

    def one(y0):
        sol = optx.minimise(q, solver, y0, (params, couplings), max_steps=max_steps,
                            throw=False)
        return sol.value, q(sol.value, (params, couplings)), sol.result == optx.RESULTS.successful

    pts, speed, ok = jax.vmap(one)(y0s)
    return SlowPoints(pts, speed, ok)
