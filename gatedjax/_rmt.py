r"""Random-matrix predictions for the Jacobian spectrum (theory notes §3).

Eliminating the gate components of an eigenvector gives, for Ginibre couplings treated as
independent of the state, the support $\{\lambda : F(\lambda) \ge 1\}$ with

$$F(\lambda)=\Big\langle\frac{\sigma_z^2}{|\lambda+\sigma_z|^2}\Big\rangle
\Big[\langle\sigma_r^2\phi'^2\rangle+\frac{\langle\phi'^2\rangle\langle\phi^2\sigma_r'^2\rangle}
{|1+\tau_r\lambda|^2}\Big]
+\Big\langle\frac{\sigma_z'^2(\eta_h-h)^2}{|\lambda+\sigma_z|^2}\Big\rangle
\frac{\langle\phi'^2\rangle}{|1+\tau_z\lambda|^2},$$

$\langle\cdot\rangle$ the population average over units at the current state and
$\eta_h = J^h(\phi\odot\sigma_r)$. At fixed points the last term vanishes and $F(0) = R_0$.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Complex, Float

from ._custom_types import State
from ._dmft._quadrature import gauss
from ._dmft._static import gaussian_moments
from ._model import Couplings, GatedParams, J_dot, check_system, gates, phi


class _Stats:
    """Per-unit quantities entering F, at one state."""

    def __init__(self, params: GatedParams, couplings: Couplings, y: State):
        for name in ("tau_z", "tau_r"):
            if jnp.ndim(getattr(params, name)) != 0:
                raise ValueError(
                    f"`params.{name}` must be a scalar for the random-matrix predictions."
                )
        y = jnp.asarray(y)
        params = params.astype(y.dtype)
        h = y[0]
        ph = phi(params, h)
        sz, sr = gates(params, y)
        self.sz = sz
        self.dph2 = (params.g_h * (1 - ph**2)) ** 2
        self.sr2dph2 = jnp.mean(sr**2 * self.dph2)
        self.mean_dph2 = jnp.mean(self.dph2)
        self.ph2dsr2 = jnp.mean(ph**2 * (params.alpha_r * sr * (1 - sr)) ** 2)
        eta = J_dot(couplings.J_h, ph * sr)
        self.gate_term = (params.alpha_z * sz * (1 - sz)) ** 2 * (eta - h) ** 2
        self.tau_z, self.tau_r = params.tau_z, params.tau_r

    def F(self, lam):
        lam = jnp.asarray(lam)
        return self.F_xy(jnp.real(lam).astype(self.sz.dtype), jnp.imag(lam).astype(self.sz.dtype))

    def F_xy(self, x, y):
        """F at λ = x + iy (real arrays; avoids mixed real/complex arithmetic)."""
        x, y = jnp.broadcast_arrays(x, y)
        unit = lambda v: v.reshape((1,) * x.ndim + v.shape)  # explicit broadcasting over units
        sz = unit(self.sz)
        d2 = (x[..., None] + sz) ** 2 + y[..., None] ** 2
        A = jnp.mean(sz**2 / d2, axis=-1)
        B = jnp.mean(unit(self.gate_term) / d2, axis=-1)
        mod2 = lambda tau: (1 + tau * x) ** 2 + (tau * y) ** 2
        R = self.sr2dph2 + self.mean_dph2 * self.ph2dsr2 / mod2(self.tau_r)
        return A * R + B * self.mean_dph2 / mod2(self.tau_z)

    def r_max(self):
        # For |λ| >= 2 + 2/τ_min: |λ + σ_z| >= |λ|/2 and |1 + τλ| >= 1, so F <= 4K/|λ|².
        K = self.sr2dph2 + self.mean_dph2 * self.ph2dsr2 + jnp.mean(self.gate_term) * self.mean_dph2
        tau_min = jnp.minimum(self.tau_z, self.tau_r)
        return 1.01 * jnp.maximum(2 + 2 / tau_min, 2 * jnp.sqrt(K))


def support_function(
    params: GatedParams, couplings: Couplings, y: State, lam: ArrayLike
) -> Float[Array, "..."]:
    """$F(\\lambda)$ at complex points `lam` (any shape) for the population at state `y`.

    The predicted eigenvalue support of the Jacobian at `y` is `F >= 1` (plus, at fixed points
    or for `alpha_r = 0`, the exact eigenvalues `-1/tau_z`, `-1/tau_r`).
    """
    check_system(params, couplings, y, name="y")
    return _Stats(params, couplings, y).F(lam)


def stability_index(params: GatedParams, couplings: Couplings, y: State) -> Float[Array, ""]:
    r"""$R_0 = F(0)$: a fixed point `y` is stable iff $R_0 < 1$ (at large `n`).

    With population averages, $R_0 = \langle\sigma_r^2\phi'^2\rangle
    + \langle\phi'^2\rangle\langle\phi^2\sigma_r'^2\rangle$ (+ the gate term, zero at fixed points).
    """
    return support_function(params, couplings, y, 0.0)


def spectral_edge(
    params: GatedParams, couplings: Couplings, y: State, *, iterations: int = 100
) -> Float[Array, ""]:
    """Predicted rightmost point of the support: the largest real root of `F(x) = 1`.

    For real `x` above every pole, each factor of `F(x + iy)` decreases in `|y|`, so the
    rightmost point of the support lies on the real axis, and `F` decreases in `x` there:
    bisection between the largest pole and `r_max` converges to it.
    """
    check_system(params, couplings, y, name="y")
    s = _Stats(params, couplings, y)
    lo = jnp.maximum(-jnp.min(s.sz), jnp.maximum(-1 / s.tau_z, -1 / s.tau_r))
    lo = lo + 1e-12 * (1 + jnp.abs(lo))
    hi = s.r_max()

    def body(_, bounds):
        a, b = bounds
        mid = 0.5 * (a + b)
        above = s.F(mid) >= 1
        return jnp.where(above, mid, a), jnp.where(above, b, mid)

    a, b = jax.lax.fori_loop(0, iterations, body, (lo, hi))
    return 0.5 * (a + b)


def support_boundary(
    params: GatedParams,
    couplings: Couplings,
    y: State,
    *,
    n_angles: int = 360,
    n_radii: int = 400,
    center: complex | None = None,
) -> Complex[Array, " n_angles"]:
    r"""The outer boundary of the predicted support, traced along rays from `center`.

    On each of `n_angles` rays, the outermost radius with `F >= 1` is located on a grid of
    `n_radii` radii up to a bound beyond which `F < 1` provably, then refined by bisection.
    Rays that meet no support give the point `center`. The default center is
    $-\langle\sigma_z\rangle$, the centre of the disk when the gates are constant, which lies
    inside the support. Use the result to overlay the theory on eigenvalue plots; its largest
    modulus predicts the spectral radius of the `h` eigenvalues.
    """
    check_system(params, couplings, y, name="y")
    s = _Stats(params, couplings, y)
    dtype = s.sz.dtype
    if center is None:
        cx, cy = -jnp.mean(s.sz), jnp.zeros((), dtype)
    else:
        cx, cy = jnp.asarray(complex(center).real, dtype), jnp.asarray(complex(center).imag, dtype)
    rmax = s.r_max() + jnp.hypot(cx, cy)
    theta = jnp.linspace(0, 2 * jnp.pi, n_angles, endpoint=False, dtype=dtype)
    cos, sin = jnp.cos(theta), jnp.sin(theta)
    radii = rmax * jnp.linspace(0, 1, n_radii + 1, dtype=dtype)[1:]
    # (angles, radii) grid of F, one ray per row
    inside = jax.vmap(lambda c, s_: s.F_xy(cx + radii * c, cy + radii * s_))(cos, sin) >= 1
    idx = jnp.where(inside.any(-1), n_radii - 1 - jnp.argmax(inside[:, ::-1], axis=-1), -1)
    a = jnp.where(idx >= 0, radii[jnp.maximum(idx, 0)], 0.0)
    b = jnp.where(idx >= 0, radii[jnp.minimum(idx + 1, n_radii - 1)], 0.0)
    b = jnp.where(idx == n_radii - 1, rmax, b)

    def body(_, ab):
        a, b = ab
        mid = 0.5 * (a + b)
        above = s.F_xy(cx + mid * cos, cy + mid * sin) >= 1
        return jnp.where(above, mid, a), jnp.where(above, b, mid)

    a, b = jax.lax.fori_loop(0, 50, body, (a, b))
    radius = 0.5 * (a + b)
    return jax.lax.complex(cx + radius * cos, cy + radius * sin)


def frozen_fraction(params: GatedParams, y: State, eps: float) -> Float[Array, ""]:
    r"""Fraction of units whose update gate $\sigma_z(z_i) < \varepsilon$ at state `y`.

    Frozen units contribute Jacobian eigenvalues of modulus $\lesssim \varepsilon$: this counts
    the predicted slow modes (divide by 3 for a fraction of all `3n` eigenvalues).
    """
    y = jnp.asarray(y)
    sz, _ = gates(params.astype(y.dtype), y)
    return jnp.mean((sz < eps).astype(y.dtype))


def frozen_fraction_gaussian(
    params: GatedParams, delta_z: ArrayLike, eps: float
) -> Float[Array, ""]:
    r"""Mean-field version of [`gatedjax.frozen_fraction`][] for $z \sim \mathcal N(0, \Delta_z)$:

    $P(\sigma_z(z) < \varepsilon) = \Phi\big((\operatorname{logit}\varepsilon + \beta_z)
    / (\alpha_z\sqrt{\Delta_z})\big)$ (for $\alpha_z > 0$).
    """
    from jax.scipy.special import logit, ndtr

    return ndtr((logit(eps) + params.beta_z) / (params.alpha_z * jnp.sqrt(delta_z)))


def near_zero_fraction(eigenvalues: ArrayLike, eps: float) -> Float[Array, "..."]:
    """Measured fraction of eigenvalues with `|λ| < eps` (last axis)."""
    modulus = jnp.abs(jnp.asarray(eigenvalues))
    return jnp.mean((modulus < eps).astype(modulus.dtype), axis=-1)


def marginal_stability(
    params: GatedParams, couplings: Couplings, y: State
) -> dict[str, Array]:
    r"""The $\alpha_z \to \infty$ criterion at a fixed point `y` (theory notes §3.4).

    As $\alpha_z\to\infty$, units with $\alpha_z z_i - \beta_z < 0$ freeze (a fraction $p$), giving
    $pN$ zero eigenvalues; the rest is stable iff $(1 - p)R_0 < 1$. Returns
    `{"p": p, "R0": R0, "criterion": (1 - p) R0, "marginally_stable": (1 - p) R0 < 1}`.
    """
    y = jnp.asarray(y)
    p = jnp.mean((params.astype(y.dtype).alpha_z * y[1] - params.beta_z < 0).astype(y.dtype))
    R0 = stability_index(params, couplings, y)
    crit = (1 - p) * R0
    return {"p": p, "R0": R0, "criterion": crit, "marginally_stable": crit < 1}


def support_function_gaussian(
    params: GatedParams,
    delta_h: ArrayLike,
    delta_z: ArrayLike,
    delta_r: ArrayLike,
    lam: ArrayLike,
    *,
    order: int = 201,
) -> Float[Array, "..."]:
    r"""$F(\lambda)$ at a *typical fixed point* from mean-field statistics.

    $h, z, r$ are independent centred Gaussians of variances $\Delta_h, \Delta_z, \Delta_r$
    (from the static mean-field equations) and the gate term vanishes. Averages by
    Gauss–Hermite quadrature of `order` nodes.
    """
    delta_h = jnp.asarray(delta_h)
    x, w = gauss(order, delta_h.dtype)
    p = params
    dph2, ph2, sr2, dsr2 = gaussian_moments(p, delta_h, delta_r, order)
    sz = jax.nn.sigmoid(p.alpha_z * jnp.sqrt(delta_z) * x - p.beta_z)
    # |λ + σ|² from real and imaginary parts, with explicit broadcasting over the nodes (as in
    # `_Stats.F_xy`): complex λ then works under strict dtype and rank promotion.
    lam = jnp.asarray(lam)
    re, im = jnp.real(lam).astype(sz.dtype), jnp.imag(lam).astype(sz.dtype)
    nodes = lambda v: v.reshape((1,) * re.ndim + v.shape)
    d2 = (re[..., None] + nodes(sz)) ** 2 + im[..., None] ** 2
    A = jnp.sum(nodes(w * sz**2) / d2, axis=-1)
    mod2 = (1 + p.tau_r * re) ** 2 + (p.tau_r * im) ** 2
    return A * (sr2 * dph2 + dph2 * ph2 * dsr2 / mod2)
