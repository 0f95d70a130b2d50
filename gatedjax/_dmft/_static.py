r"""Static (fixed-point) mean-field theory (theory notes §4.3).

At a fixed point $h = \eta_h$, $z = \eta_z$, $r = \eta_r$ are, over the population, independent
centred Gaussians with

$$\Delta_z = \Delta_r = \langle\phi^2\rangle_{\Delta_h},\qquad
\Delta_h = \langle\phi^2\rangle_{\Delta_h}\,\langle\sigma_r^2\rangle_{\Delta_r}
\equiv \mathcal F(\Delta_h).$$
"""

import equinox as eqx
import jax
import jax.numpy as jnp
import optimistix as optx
from jaxtyping import Array, Float, Int

from .._model import GatedParams, phi
from .._solution import RESULTS
from ._quadrature import expect

#: Quadrature order used by default for the static averages.
ORDER = 201  # tanh(g x) has poles at distance ~1/(g sqrt(Δ)) from the real axis: 81 nodes err by 5e-5 at g = 2.2, 201 by < 1e-8


def _sigmoid(a, b, x):
    return jax.nn.sigmoid(a * x - b)


def phi2(params: GatedParams, delta_h, order: int = ORDER):
    r"""$\langle\phi^2\rangle$ for $h \sim \mathcal N(0, \Delta_h)$."""
    return expect(lambda x: phi(params, x) ** 2, delta_h, order)


def static_map(params: GatedParams, delta_h, order: int = ORDER) -> Float[Array, ""]:
    r"""The self-consistency map $\mathcal F(\Delta_h) = \langle\phi^2\rangle\langle\sigma_r^2\rangle$."""
    q = phi2(params, delta_h, order)
    s = expect(lambda x: _sigmoid(params.alpha_r, params.beta_r, x) ** 2, q, order)
    return q * s


def stability_index_mft(params: GatedParams, delta_h, order: int = ORDER) -> Float[Array, ""]:
    r"""$R_0 = \langle\phi'^2\rangle(\langle\sigma_r^2\rangle + \langle\phi^2\rangle\langle\sigma_r'^2\rangle)$
    with $h \sim \mathcal N(0, \Delta_h)$, $r \sim \mathcal N(0, \Delta_r = \langle\phi^2\rangle)$."""
    dph2, ph2, sr2, dsr2 = gaussian_moments(params, delta_h, None, order)
    return dph2 * (sr2 + ph2 * dsr2)


def gaussian_moments(params: GatedParams, delta_h, delta_r=None, order: int = ORDER):
    r"""$(\langle\phi'^2\rangle, \langle\phi^2\rangle, \langle\sigma_r^2\rangle,
    \langle\sigma_r'^2\rangle)$ for independent $h \sim \mathcal N(0, \Delta_h)$,
    $r \sim \mathcal N(0, \Delta_r)$; `delta_r=None` uses the fixed-point value
    $\Delta_r = \langle\phi^2\rangle$. These make up $R(\lambda)$ and $R_0$."""
    p = params
    dph2 = expect(lambda x: (p.g_h * (1 - phi(p, x) ** 2)) ** 2, delta_h, order)
    ph2 = phi2(p, delta_h, order)
    delta_r = ph2 if delta_r is None else delta_r
    sr = lambda x: _sigmoid(p.alpha_r, p.beta_r, x)
    sr2 = expect(lambda x: sr(x) ** 2, delta_r, order)
    dsr2 = expect(lambda x: (p.alpha_r * sr(x) * (1 - sr(x))) ** 2, delta_r, order)
    return dph2, ph2, sr2, dsr2


class StaticSolution(eqx.Module):
    """A solution of the static mean-field equations.

    `delta_h, delta_z, delta_r`: population variances at the typical fixed point; `R0`: its
    stability index (stable iff `R0 < 1`); `result`: a [`gatedjax.RESULTS`][] code.
    """

    delta_h: Float[Array, ""]
    delta_z: Float[Array, ""]
    delta_r: Float[Array, ""]
    R0: Float[Array, ""]
    result: RESULTS


def _solution(params, delta_h, result, order):
    q = phi2(params, delta_h, order)
    return StaticSolution(delta_h, q, q, stability_index_mft(params, delta_h, order), result)


def static_mft(
    params: GatedParams,
    *,
    delta0: float = 1.0,
    rtol: float = 1e-10,
    atol: float = 1e-12,
    max_steps: int = 256,
    order: int = ORDER,
    throw: bool = True,
) -> StaticSolution:
    r"""Solve $\mathcal F(\Delta_h) = \Delta_h$ for the **nonzero** root nearest `delta0`.

    Newton's method (optimistix) on $u = \log\Delta_h$ keeps $\Delta_h > 0$; gradients with
    respect to `params` flow by the implicit function theorem (`optx.ImplicitAdjoint`), so
    `jax.grad` of any function of the solution is exact and cheap. Vmappable over `params`.
    To find *every* root use [`gatedjax.static_roots`][].

    **Arguments:** `params` (scalar fields); `delta0` the initial guess (default 1, the upper
    end: `F <= 1` bounds every root); tolerances; `order` of the Gauss–Hermite rule.

    **Returns:** a [`gatedjax.StaticSolution`][].

    **Raises:** with `throw=True`, a runtime error if Newton does not converge, e.g. when only
    the zero solution exists ($g_h\sigma_r(0) < 1$ at $\beta_h = 0$, below the topological
    threshold): then lower `delta0`, or use `static_roots` to see every root.
    """
    _check_scalar_params(params)
    dtype = jnp.result_type(float)
    params = params.astype(dtype)

    def fn(u, p):
        d = jnp.exp(u)
        return jnp.log(static_map(p, d, order)) - u

    sol = optx.root_find(fn, optx.Newton(rtol=rtol, atol=atol),
                         jnp.log(jnp.asarray(delta0, dtype)), params, max_steps=max_steps,
                         throw=False)
    delta = jnp.exp(sol.value)
    ok = (sol.result == optx.RESULTS.successful) & jnp.isfinite(delta) & (delta > 1e-300)
    result = RESULTS.where(ok, RESULTS.successful, RESULTS.nonlinear_max_steps_reached)
    if throw:
        delta = result.error_if(delta, ~ok)
    return _solution(params, delta, result, order)


def static_roots(
    params: GatedParams,
    *,
    n_grid: int = 512,
    max_roots: int = 8,
    order: int = ORDER,
) -> tuple[Float[Array, " max_roots"], Int[Array, ""]]:
    r"""Every root of $\mathcal F(\Delta) - \Delta$ on $[0, 1]$ (all roots lie there since
    $\phi^2, \sigma_r^2 \le 1$).

    Sign changes on a grid of `n_grid` points (denser near 0, where roots bifurcate) are
    refined by bisection to machine precision, vmapped over brackets. $\Delta = 0$ is reported when it is
    a root ($\beta_h = 0$). Roots closer together than the grid spacing can be missed; raise
    `n_grid` near a saddle-node.

    **Returns:** `(roots, count)`: `roots` of shape `(max_roots,)` in increasing order, padded
    with NaN, and the number found (a count above `max_roots` is clipped).
    """
    _check_scalar_params(params)
    dtype = jnp.result_type(float)
    params = params.astype(dtype)
    grid = jnp.linspace(0.0, 1.0, n_grid, dtype=dtype) ** 2 * 1.0001
    g = jax.vmap(lambda d: static_map(params, d, order) - d)(grid)
    zero_root = jnp.abs(static_map(params, jnp.zeros((), dtype), order)) < 1e-14
    change = (g[:-1] * g[1:] < 0) | ((g[1:] == 0) & (jnp.arange(1, n_grid) > 0))
    idx = jnp.nonzero(change, size=max_roots, fill_value=n_grid - 2)[0]
    valid = jnp.arange(max_roots) < jnp.sum(change)

    def refine(i):
        # Plain bisection (optimistix's raises on padded brackets that hold no root, even
        # with throw=False, so it cannot be vmapped over a fixed-size list of brackets).
        gfun = lambda d: static_map(params, d, order) - d
        lo, hi = grid[i], grid[i + 1]
        sign_lo = jnp.sign(gfun(lo))

        def body(_, ab):
            a, b = ab
            m = 0.5 * (a + b)
            same = jnp.sign(gfun(m)) == sign_lo
            return jnp.where(same, m, a), jnp.where(same, b, m)

        a, b = jax.lax.fori_loop(0, 60, body, (lo, hi))
        return 0.5 * (a + b)

    roots = jax.vmap(refine)(idx)
    roots = jnp.where(valid, roots, jnp.nan)
    roots = jnp.concatenate([jnp.where(zero_root, 0.0, jnp.nan)[None], roots])
    roots = jnp.sort(roots)[:max_roots]  # NaNs sort last
    return roots, jnp.sum(jnp.isfinite(roots))


def _check_scalar_params(params):
    if not isinstance(params, GatedParams):
        raise ValueError(f"`params` must be a GatedParams, got {type(params).__name__}.")
    for name, value in vars(params).items():
        if jnp.ndim(value) != 0:
            raise ValueError(
                f"mean-field theory needs scalar parameters; `params.{name}` has shape "
                f"{jnp.shape(value)}. vmap over stacked GatedParams for grids."
            )
