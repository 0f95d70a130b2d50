r"""Exact dynamic mean-field theory when the gates are constant ($\alpha_z = \alpha_r = 0$).

Then $\sigma_z \equiv s_z$, $\sigma_r \equiv s_r$ and $h$ is the Sompolinsky–Crisanti–Sommers
network with time constant $1/s_z$ and gain $s_r g_h$. In rescaled time $u = s_z\tau$ the
autocovariance $\Delta(u) = C_h(\tau)$ moves as a particle in a potential:

$$\ddot\Delta = \Delta - s_r^2\langle\phi(h_1)\phi(h_2)\rangle_{\Delta_0,\Delta} = -V'(\Delta),\qquad
V(\Delta) = -\tfrac12\Delta^2 + s_r^2\langle\Phi(h_1)\Phi(h_2)\rangle_{\Delta_0,\Delta},$$

$\Phi' = \phi$, $(h_1, h_2)$ Gaussian with variances $\Delta_0$ and covariance $\Delta$. The
chaotic solution leaves $\Delta_0$ at rest and creeps to the static part $\Delta_\infty$ (an
equilibrium: $V'(\Delta_\infty) = 0$) with energy conserved: $V(\Delta_0) = V(\Delta_\infty)$.
"""

import diffrax as dfx
import equinox as eqx
import jax
import jax.numpy as jnp
import optimistix as optx
from jaxtyping import Array, Float

from .._model import GatedParams, phi
from .._solution import RESULTS
from ._quadrature import expect_pair
from ._static import _check_scalar_params

ORDER = 120  # the pair averages of log cosh converge slowly: 48 nodes err by 1e-5


def _gates_constant(params):
    s_z = jax.nn.sigmoid(-params.beta_z)
    s_r = jax.nn.sigmoid(-params.beta_r)
    return s_z, s_r


def _Phi(p, x):
    # ∫ tanh(g x + b) dx = log cosh(g x + b) / g, written to avoid overflow.
    a = p.g_h * x + p.beta_h
    return (jnp.abs(a) + jnp.log1p(jnp.exp(-2 * jnp.abs(a))) - jnp.log(2.0)) / p.g_h


def _dphi(p, x):
    return p.g_h * (1 - phi(p, x) ** 2)


def _potential(p, s_r, d0, d, order):
    f = lambda x: _Phi(p, x)  # one object: expect_pair then averages it once
    return -0.5 * d**2 + s_r**2 * expect_pair(f, f, d0, d, order)


def _force_term(p, s_r, d0, d, order):
    """s_r² <φ(h1) φ(h2)>: the 'drive' in Δ'' = Δ - s_r² C_φ."""
    f = lambda x: phi(p, x)
    return s_r**2 * expect_pair(f, f, d0, d, order)


class ClassicDMFT(eqx.Module):
    """The chaotic mean-field solution for constant gates.

    - `delta0`: $C_h(0)$, the total variance of `h`; `delta_inf`: the static part
      $C_h(\\infty)$ (0 when $\\beta_h = 0$).
    - `tau`, `C_h`, `C_phi`: the autocorrelations on a grid of lags (shape `(m,)`).
    - `result`: a [`gatedjax.RESULTS`][] code (failure when no chaotic solution exists:
      $s_r g_h \\le 1$ at $\\beta_h = 0$).
    """

    delta0: Float[Array, ""]
    delta_inf: Float[Array, ""]
    tau: Float[Array, " m"]
    C_h: Float[Array, " m"]
    C_phi: Float[Array, " m"]
    result: RESULTS


def classic_dmft(
    params: GatedParams,
    *,
    tau_max: float = 40.0,
    n_tau: int = 401,
    guess: tuple[float, float] | None = None,
    order: int = ORDER,
    throw: bool = True,
) -> ClassicDMFT:
    r"""Solve the exact DMFT of the chaotic state for $\alpha_z = \alpha_r = 0$.

    Unknowns $(\Delta_0, \Delta_\infty)$ solve energy conservation $V(\Delta_0) = V(\Delta_\infty)$
    and equilibrium $\Delta_\infty = s_r^2\langle\phi\phi\rangle_{\Delta_0,\Delta_\infty}$
    (optimistix Newton; for $\beta_h = 0$, $\Delta_\infty = 0$ exactly). $C_h(\tau)$ then comes
    from integrating the particle's motion (diffrax) from $\Delta_0$ at rest; the separatrix is
    unstable, so the path is clamped at $\Delta_\infty$ once it arrives.

    **Arguments:** `params` with `alpha_z = alpha_r = 0`; lags `tau` on `[0, tau_max]` with
    `n_tau` points (in the model's time units); `guess` for `(Δ0, Δ∞)`.

    **Raises:** `ValueError` if `alpha_z` or `alpha_r` is nonzero (use the sampling solver).
    """
    _check_scalar_params(params)
    if float(params.alpha_z) != 0.0 or float(params.alpha_r) != 0.0:
        raise ValueError(
            "classic_dmft is exact only for alpha_z = alpha_r = 0; use gatedjax.dmft_solve "
            "for gated dynamics."
        )
    dtype = jnp.result_type(float)
    biased = float(params.beta_h) != 0.0
    if guess is None:
        guess = (1.0, 0.1 if biased else 0.0)
    sol = _classic(params.astype(dtype), biased, tuple(float(x) for x in guess), tau_max, n_tau,
                   order)
    if throw:
        sol = eqx.tree_at(lambda s: s.delta0, sol,
                          sol.result.error_if(sol.delta0, sol.result != RESULTS.successful))
    return sol


@eqx.filter_jit
def _classic(p, biased, guess, tau_max, n_tau, order):
    dtype = jnp.result_type(float)
    s_z, s_r = _gates_constant(p)

    def energy(d0, dinf):
        return _potential(p, s_r, d0, d0, order) - _potential(p, s_r, d0, dinf, order)

    if biased:
        def fn(x, _):
            d0, dinf = jnp.exp(x[0]), jnp.exp(x[1])
            return jnp.stack([energy(d0, dinf),
                              dinf - _force_term(p, s_r, d0, dinf, order)])

        x0 = jnp.log(jnp.asarray(guess, dtype))
    if biased:
        sol = optx.root_find(fn, optx.Newton(rtol=1e-11, atol=1e-13), x0, None,
                             max_steps=200, throw=False)
    else:
        # E(Δ0)/Δ0² -> (s_r² g_h² - 1)/2 > 0 as Δ0 -> 0 and < 0 for large Δ0, with one sign
        # change: bisection in log Δ0 is guaranteed to find it when chaos exists.
        def fn(x, _):
            return energy(jnp.exp(x), jnp.zeros((), dtype)) / jnp.exp(2 * x)

        sol = optx.root_find(fn, optx.Bisection(rtol=1e-12, atol=1e-12),
                             jnp.asarray(0.0, dtype), None, max_steps=400, throw=False,
                             options={"lower": jnp.log(jnp.asarray(1e-6, dtype)),
                                      "upper": jnp.log(jnp.asarray(1e3, dtype))})
    if biased:
        d0, dinf = jnp.exp(sol.value[0]), jnp.exp(sol.value[1])
    else:
        d0, dinf = jnp.exp(sol.value), jnp.zeros((), dtype)
    ok = (sol.result == optx.RESULTS.successful) & (d0 > dinf + 1e-9) & jnp.isfinite(d0)
    result = RESULTS.where(ok, RESULTS.successful, RESULTS.nonlinear_max_steps_reached)
    tau = jnp.linspace(0.0, tau_max, n_tau, dtype=dtype)
    C_h = _trajectory(p, s_r, d0, dinf, s_z * tau, order)
    C_phi = jax.vmap(lambda c: _force_term(p, s_r, d0, c, order) / s_r**2)(C_h)
    return ClassicDMFT(d0, dinf, tau, C_h, C_phi, result)


def _trajectory(p, s_r, d0, dinf, u, order):
    def field(t, state, _):
        d, v = state
        return jnp.stack([v, d - _force_term(p, s_r, d0, jnp.clip(d, 0.0, d0), order)])

    sol = dfx.diffeqsolve(dfx.ODETerm(field), dfx.Tsit5(), u[0], u[-1], None,
                          jnp.stack([d0, jnp.zeros_like(d0)]), saveat=dfx.SaveAt(ts=u),
                          stepsize_controller=dfx.PIDController(rtol=1e-10, atol=1e-12),
                          max_steps=100_000, throw=False)
    d, v = sol.ys[:, 0], sol.ys[:, 1]
    # The separatrix is unstable: once Δ stops decreasing (or passes Δ∞) it has arrived.
    arrived = jnp.cumsum((v >= 0) & (u > 0) | (d <= dinf) | ~jnp.isfinite(d)) > 0
    return jnp.where(arrived, dinf, d)


def lyapunov_dmft(sol: ClassicDMFT, params: GatedParams, *, n_grid: int = 1601,
                  order: int = ORDER) -> Float[Array, ""]:
    r"""$\lambda_{\max}$ from the two-replica (Schrödinger) problem, exact for constant gates.

    $[-\partial_u^2 + V(u)]\psi = E\psi$ with $V(u) = 1 - s_r^2\langle\phi'(h_1)\phi'(h_2)\rangle
    _{\Delta_0, C_h(u)}$ on $u \in [-u_{\max}, u_{\max}]$ (finite differences, Dirichlet ends),
    and $\lambda_{\max} = s_z(-1 + \sqrt{1 - E_0})$ in model time ($E_0$ the ground state).
    """
    p = params.astype(sol.C_h.dtype)
    s_z, s_r = _gates_constant(p)
    u = s_z * sol.tau
    U = u[-1]
    grid = jnp.linspace(-U, U, n_grid, dtype=u.dtype)
    C = jnp.interp(jnp.abs(grid), u, sol.C_h)
    dphi = lambda x: _dphi(p, x)
    Cp = jax.vmap(lambda c: expect_pair(dphi, dphi, sol.delta0, c, order))(C)
    V = 1 - s_r**2 * Cp
    h = grid[1] - grid[0]
    main = 2 / h**2 + V
    off = -jnp.ones(n_grid - 1, u.dtype) / h**2
    H = jnp.diag(main) + jnp.diag(off, 1) + jnp.diag(off, -1)
    E0 = jnp.linalg.eigvalsh(H)[0]
    return s_z * (-1 + jnp.sqrt(1 - E0))


def relaxation_time(sol: ClassicDMFT) -> Float[Array, ""]:
    r"""Correlation time $\int_0^\infty (C_h(\tau) - C_h(\infty))\,d\tau / (C_h(0) - C_h(\infty))$."""
    c = (sol.C_h - sol.delta_inf) / (sol.delta0 - sol.delta_inf)
    return jnp.trapezoid(c, sol.tau)
