r"""Critical surfaces of the gated network (theory notes §5.3), each a scalar function whose
zero is the surface, so it can be root-found in one parameter and vmapped over the others."""

import jax
import jax.numpy as jnp
import optimistix as optx
from jaxtyping import Array, Float

from .._model import GatedParams
from ._static import ORDER, _check_scalar_params, static_map, static_mft


def zero_fp_instability(params: GatedParams) -> Float[Array, ""]:
    r"""$g_h\sigma_r(0) - 1$ at $\beta_h = 0$: the zero fixed point is unstable iff $> 0$,
    i.e. at $g_h = 1 + e^{\beta_r}$ (for every $\alpha_z, \alpha_r, \beta_z, \tau$)."""
    return params.g_h * jax.nn.sigmoid(-params.beta_r) - 1


def typical_fp_instability(params: GatedParams, *, delta0: float = 1.0) -> Float[Array, ""]:
    r"""$R_0 - 1$ at the nonzero static solution: the typical fixed point is unstable iff $> 0$."""
    return static_mft(params, delta0=delta0).R0 - 1


def small_delta_coefficient(params: GatedParams) -> Float[Array, ""]:
    r"""The $\Delta^2$ coefficient of the small-$\Delta$ expansion at $\beta_h = 0$ (§4.4),

    $\mathcal F(\Delta) \simeq g_h^2 s^2\Delta + g_h^4\Delta^2[\alpha_r^2 s^2(1-s)(2-3s) - 2s^2]$,
    $s = \sigma_r(0)$: positive means the bifurcation of the nonzero branch is subcritical
    (nonzero fixed points appear before the zero fixed point destabilises)."""
    s = jax.nn.sigmoid(-params.beta_r)
    return params.g_h**4 * (params.alpha_r**2 * s**2 * (1 - s) * (2 - 3 * s) - 2 * s**2)


def topological_threshold(
    params: GatedParams, *, order: int = ORDER, g_bracket: tuple[float, float] = (0.5, 20.0)
) -> tuple[Float[Array, ""], Float[Array, ""]]:
    r"""The saddle-node of the static map, where nonzero fixed points first appear as $g_h$
    grows (topological complexity): $\mathcal F(\Delta) = \Delta$ and $\mathcal F'(\Delta) = 1$.

    Solved for $(g_h, \Delta)$ with optimistix Newton (other parameters from `params`),
    started from the small-$\Delta$ prediction. Returns `(g_h, Δ)`. Meaningful in the subcritical
    regime (e.g. $\alpha_r > 2\sqrt2$ at $\beta_r = 0$, $\beta_h = 0$); otherwise the nonzero
    branch bifurcates continuously from $\Delta = 0$ at $g_h\sigma_r(0) = 1$.
    """
    _check_scalar_params(params)
    dtype = jnp.result_type(float)
    p0 = params.astype(dtype)

    def fn(x, _):
        log_g, log_d = x
        p = GatedParams(jnp.exp(log_g), p0.alpha_z, p0.alpha_r, p0.beta_h, p0.beta_z,
                        p0.beta_r, p0.tau_z, p0.tau_r)
        F = lambda d: static_map(p, d, order)
        d = jnp.exp(log_d)
        return jnp.stack([F(d) / d - 1, jax.grad(F)(d) - 1])

    # Scan g on a grid for the smallest g with a nonzero root, as the Newton start.
    gs = jnp.linspace(*g_bracket, 400, dtype=dtype)
    ds = jnp.linspace(1e-3, 1.0, 200, dtype=dtype)

    def has_root(g):
        p = GatedParams(g, p0.alpha_z, p0.alpha_r, p0.beta_h, p0.beta_z, p0.beta_r, p0.tau_z,
                        p0.tau_r)
        vals = jax.vmap(lambda d: static_map(p, d, order) - d)(ds)
        return jnp.any(vals > 0), ds[jnp.argmax(vals)]

    exists, d_at = jax.vmap(has_root)(gs)
    i = jnp.argmax(exists)
    x0 = jnp.log(jnp.stack([gs[i], d_at[i]]))
    sol = optx.root_find(fn, optx.Newton(rtol=1e-10, atol=1e-12), x0, None, max_steps=100)
    return jnp.exp(sol.value[0]), jnp.exp(sol.value[1])


def marginal_stability_boundary(params: GatedParams, *, delta0: float = 1.0) -> Float[Array, ""]:
    r"""$(1 - p)R_0 - 1$ with $p = \Phi(\theta/\sqrt{\Delta_z})$ the frozen fraction as
    $\alpha_z\to\infty$ at fixed threshold $\theta = \beta_z/\alpha_z$ (§3.4): negative means the
    fixed points are marginally stable (a continuous attractor) in that limit."""
    from jax.scipy.special import ndtr

    st = static_mft(params, delta0=delta0)
    theta = params.beta_z / jnp.where(params.alpha_z == 0, jnp.inf, params.alpha_z)
    p = ndtr(theta / jnp.sqrt(st.delta_z))
    return (1 - p) * st.R0 - 1


def chaos_order_parameter(params: GatedParams, *, key, **solver_kwargs) -> Float[Array, ""]:
    r"""The chaos line's order parameter: the time-varying variance $C_h(0) - C_h(\tau_{\max})$
    of the mean-field solution, from [`gatedjax.dmft_solve`][] (`solver_kwargs` are passed on).

    It is zero (up to sampling noise, ~1e-3 of the scale of $C_h$) where the only
    self-consistent solution is static, and positive in the chaotic phase, so the chaos line
    is where it leaves zero: scan or bisect one parameter with the others vmapped. For
    constant gates at $\beta_h = 0$ the line is exactly $g_h\sigma_r(0) = 1$. Near a
    discontinuous transition the result depends on the initial guess (`init_variance`),
    as the network's does on its initial condition.
    """
    solver_kwargs.setdefault("throw", False)
    from ._sampling import dmft_solve

    sol = dmft_solve(params, key=key, **solver_kwargs)
    return sol.C_h[0] - sol.C_h[-1]
