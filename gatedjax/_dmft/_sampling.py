r"""Dynamic mean-field theory for general gates, by iterated sampling of the single-site process.

As $N \to \infty$ each unit obeys (theory notes §4.1)

$$\dot h = \sigma_z(z)(-h + \eta_h),\qquad \tau_z\dot z = -z + \eta_z,\qquad \tau_r\dot r = -r + \eta_r,$$

with independent stationary Gaussian fields, $\langle\eta_h\eta_h\rangle_\tau = C_{\sigma_r}(\tau)C_\phi(\tau)$
and $\langle\eta_z\eta_z\rangle_\tau = \langle\eta_r\eta_r\rangle_\tau = C_\phi(\tau)$. The solver
alternates: sample the fields with the current covariances (FFT circulant embedding, with the
non-decaying part $C(\infty)$ sampled as a static offset per path), integrate many single-site
paths, re-estimate $C_\phi$ and $C_{\sigma_r}$, and damp the update, until the change falls
below the sampling noise.
"""

import equinox as eqx
import jax
import jax.numpy as jnp
import jax.random as jr
from jaxtyping import Array, Float, Int, PRNGKeyArray

from .._model import GatedParams, phi
from .._solution import RESULTS
from ._static import _check_scalar_params, _sigmoid


class DMFTSolution(eqx.Module):
    """Stationary autocorrelations of the chaotic state from the sampling DMFT solver.

    Arrays on lags `tau` (shape `(m,)`): `C_h, C_z, C_r` (of the variables), `C_phi`
    ($\\langle\\phi\\phi\\rangle$), `C_sigma_r` ($\\langle\\sigma_r\\sigma_r\\rangle$). `change`:
    the last relative update size; `iterations`: how many were run; `result`: a
    [`gatedjax.RESULTS`][] code (`nonlinear_max_steps_reached` if `change` stayed above `tol`).
    """

    tau: Float[Array, " m"]
    C_h: Float[Array, " m"]
    C_z: Float[Array, " m"]
    C_r: Float[Array, " m"]
    C_phi: Float[Array, " m"]
    C_sigma_r: Float[Array, " m"]
    change: Float[Array, ""]
    iterations: Int[Array, ""]
    result: RESULTS


def _sample_fields(key, cov, c_inf, n_paths, n_steps):
    """Stationary Gaussian paths of length `n_steps` with covariance `cov[k]` at lag k: a
    static offset of variance `c_inf` plus a fluctuating part with covariance `cov - c_inf`
    (zero beyond the `m = len(cov)` lags given)."""
    c_inf = jnp.maximum(c_inf, 0.0)
    c = jnp.where(jnp.arange(cov.shape[0]) < cov.shape[0] - 1, cov - c_inf, 0.0)
    m = c.shape[0]
    row = jnp.zeros(n_steps + 1, cov.dtype).at[:m].set(c)
    circ = jnp.concatenate([row, row[-2:0:-1]])  # symmetric circulant of size 2 n_steps
    lam = jnp.maximum(jnp.fft.rfft(circ).real, 0.0)  # clip the small negative eigenvalues
    size = circ.shape[0]
    k1, k2 = jr.split(key)
    noise = jr.normal(k1, (n_paths, size), cov.dtype)
    # real stationary field: irfft of sqrt(λ/size) * FFT(white noise) has covariance circ.
    spectrum = jnp.fft.rfft(noise, axis=-1)
    paths = jnp.fft.irfft(spectrum * jnp.sqrt(lam).astype(spectrum.dtype)[None, :], n=size,
                          axis=-1)
    static = jnp.sqrt(c_inf) * jr.normal(k2, (n_paths, 1), cov.dtype)
    return paths[:, :n_steps] + static


def _autocorr(x, n_lags):
    """Non-centred autocorrelation ⟨x(t) x(t+k)⟩ for k < n_lags, averaged over paths and t
    (unbiased: divides by the number of pairs at each lag)."""
    n = x.shape[-1]
    size = 2 * n
    f = jnp.fft.rfft(x, n=size, axis=-1)
    ac = jnp.fft.irfft(f * jnp.conj(f), n=size, axis=-1)[..., :n_lags]
    return jnp.mean(ac, axis=0) / (n - jnp.arange(n_lags)).astype(x.dtype)


def dmft_solve(
    params: GatedParams,
    *,
    key: PRNGKeyArray,
    tau_max: float = 40.0,
    dt: float = 0.05,
    n_paths: int = 1000,
    t_burn: float = 40.0,
    t_window: float = 160.0,
    n_iterations: int = 40,
    n_average: int = 16,
    tol: float = 0.03,
    init_variance: float = 1.0,
    init_time: float = 5.0,
    throw: bool = True,
) -> DMFTSolution:
    r"""Solve the dynamic mean-field equations of the gated network by iterated sampling.

    Each iteration samples the fields with the current $C_\phi, C_{\sigma_r}$, integrates
    `n_paths` single-site paths and replaces the correlations by their estimates. After
    `n_iterations - n_average` iterations the map has converged up to sampling noise; the
    returned correlations average the estimates of the last `n_average` iterations (cutting the
    noise by about `sqrt(n_average)`), and convergence is declared when the means of the first
    and second halves of that window agree to `tol` (relative to $C_\phi(0)$): a drift larger
    than the noise means more iterations are needed. At the default sizes that drift, a
    maximum over all lags, is 0.01–0.02 from noise alone (measured at g_h = 4, alpha_z = 3,
    where two keys give C_h(0) = 0.1191 and 0.1188), hence the default `tol = 0.03`.

    **Arguments:**

    - `params`: scalar [`gatedjax.GatedParams`][] (any gains, biases and time constants).
    - `key`: PRNG key (results are reproducible for a fixed key).
    - `tau_max`: largest lag; correlations must have decayed by then. `dt`: time step of the
        fields and of the single-site integration (Heun).
    - `n_paths`, `t_burn`, `t_window`: paths per iteration, discarded transient, and the
        window used for estimates. The statistical error of one estimate is about
        `sqrt(tau_corr / (n_paths * t_window))`.
    - `n_iterations`, `n_average`, `tol`: see above.
    - `init_variance`, `init_time`: the initial guess $C_\phi(\tau) = $ `init_variance`
        $e^{-\tau/\text{init\_time}}$ (a chaotic start; the zero solution is also
        self-consistent at $\beta_h = 0$, and is what the iteration reaches when no chaotic
        solution exists).
    - `throw`: raise if not converged (else read `result`).

    **Returns:** a [`gatedjax.DMFTSolution`][]. jit-compiled; vmappable over `params` and `key`.

    **Raises:** `ValueError` for non-positive times, `n_paths < 2`, `t_window < tau_max`, or
    `n_average` outside `[2, n_iterations]`.
    """
    _check_scalar_params(params)
    for name, v in (("tau_max", tau_max), ("dt", dt), ("t_window", t_window),
                    ("init_time", init_time)):
        if not v > 0:
            raise ValueError(f"`{name}` must be > 0, got {v!r}.")
    if t_window < tau_max:
        raise ValueError(f"`t_window` ({t_window}) must be >= `tau_max` ({tau_max}).")
    if n_paths < 2:
        raise ValueError(f"`n_paths` must be >= 2, got {n_paths!r}.")
    if not 2 <= n_average <= n_iterations:
        raise ValueError(
            f"`n_average` must be in [2, n_iterations={n_iterations}], got {n_average!r}.")
    m = int(round(tau_max / dt)) + 1
    n_burn, n_win = max(1, int(round(t_burn / dt))), int(round(t_window / dt))
    sol = _dmft(params.astype(jnp.result_type(float)), key, m, n_burn, n_win, dt, n_paths,
                n_iterations, n_average, tol, init_variance, init_time)
    if throw:
        sol = eqx.tree_at(lambda s: s.C_h, sol,
                          sol.result.error_if(sol.C_h, sol.result != RESULTS.successful))
    return sol


@eqx.filter_jit
def _dmft(p, key, m, n_burn, n_win, dt, n_paths, n_iterations, n_average, tol, init_variance,
          init_time):
    dtype = jnp.result_type(float)
    n_steps = n_burn + n_win
    tau = dt * jnp.arange(m, dtype=dtype)

    def simulate_paths(key, C_phi, C_sr):
        kh, kz, kr = jr.split(key, 3)
        # C_phi(inf) = <phi>^2 over units: zero by symmetry when beta_h = 0 (h -> -h), and
        # then forcing it to zero stops sampling noise in the tail from feeding a spurious
        # static component back into the iteration. Otherwise: its value at tau_max.
        phi_inf = jnp.where(p.beta_h == 0, 0.0, C_phi[-1])
        eta_h = _sample_fields(kh, C_sr * C_phi, C_sr[-1] * phi_inf, n_paths, n_steps)
        eta_z = _sample_fields(kz, C_phi, phi_inf, n_paths, n_steps)
        eta_r = _sample_fields(kr, C_phi, phi_inf, n_paths, n_steps)
        y0 = jnp.zeros((3, n_paths), dtype)

        def f(y, e):
            h, z, r = y
            return jnp.stack([_sigmoid(p.alpha_z, p.beta_z, z) * (e[0] - h),
                              (e[1] - z) / p.tau_z, (e[2] - r) / p.tau_r])

        def step(y, e):  # Heun, with the fields at the step's two ends
            e0, e1 = e
            k1 = f(y, e0)
            k2 = f(y + dt * k1, e1)
            y = y + 0.5 * dt * (k1 + k2)
            return y, y

        E = jnp.moveaxis(jnp.stack([eta_h, eta_z, eta_r]), -1, 0)  # (steps, 3, paths)
        _, ys = jax.lax.scan(step, y0, (E[:-1], E[1:]))
        return ys[n_burn - 1:]  # (window, 3, paths)

    def estimate(key, C_phi, C_sr):
        ys = simulate_paths(key, C_phi, C_sr)
        h, z, r = ys[:, 0].T, ys[:, 1].T, ys[:, 2].T  # (paths, window)
        return jnp.stack([_autocorr(phi(p, h), m), _autocorr(_sigmoid(p.alpha_r, p.beta_r, r), m),
                          _autocorr(h, m), _autocorr(z, m), _autocorr(r, m)])

    def body(carry, key):
        C_phi, C_sr = carry
        est = estimate(key, C_phi, C_sr)
        return (est[0], est[1]), est

    C_phi0 = init_variance * jnp.exp(-tau / init_time)
    C_sr0 = jnp.full((m,), 0.25, dtype) + 0.05 * jnp.exp(-tau)
    keys = jr.split(key, n_iterations)
    _, ests = jax.lax.scan(body, (C_phi0, C_sr0), keys)
    window = ests[n_iterations - n_average:]
    half = n_average // 2
    first, second = window[:half].mean(0), window[half:].mean(0)
    change = jnp.max(jnp.abs(first[0] - second[0])) / jnp.maximum(jnp.abs(second[0, 0]), 1e-12)
    C_phi, C_sr, C_h, C_z, C_r = window.mean(0)
    result = RESULTS.where(change <= tol, RESULTS.successful,
                           RESULTS.nonlinear_max_steps_reached)
    return DMFTSolution(tau, C_h, C_z, C_r, C_phi, C_sr, change, jnp.asarray(n_iterations),
                        result)
