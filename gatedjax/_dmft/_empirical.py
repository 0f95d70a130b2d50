"""Estimates from simulated networks of the quantities the mean-field theory predicts."""

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._solution import Solution


def population_autocorrelation(
    sol: Solution, *, max_lag: int
) -> tuple[Float[Array, " m"], Float[Array, "3 m"]]:
    r"""Population autocorrelations $C_x(\tau) = \langle x_i(t)x_i(t+\tau)\rangle_{i,t}$ of
    `h, z, r` from a trajectory saved on a uniform grid (non-centred, like the DMFT's).

    **Arguments:** `sol` with `ys` of shape `(t, 3, n)` and uniform `ts`; `max_lag` in saved
    steps (`< t`).

    **Returns:** `(lags, C)` with `lags` in time units, shape `(max_lag,)`, and `C` of shape
    `(3, max_lag)` for `h, z, r`.
    """
    ys = jnp.asarray(sol.ys)
    T = ys.shape[0]
    if not 0 < max_lag < T:
        raise ValueError(f"`max_lag` must be in [1, {T - 1}] saved steps, got {max_lag!r}.")
    dt = sol.ts[1] - sol.ts[0]
    size = 2 * T
    f = jnp.fft.rfft(ys, n=size, axis=0)
    ac = jnp.fft.irfft(f * jnp.conj(f), n=size, axis=0)[:max_lag]  # (lag, 3, n)
    C = jnp.mean(ac, axis=-1) / (T - jnp.arange(max_lag)).astype(ys.dtype)[:, None]
    return dt * jnp.arange(max_lag, dtype=ys.dtype), C.T


def correlation_time(tau: Float[Array, " m"], C: Float[Array, " m"]) -> Float[Array, ""]:
    r"""$\int_0^{\tau_{\max}} C(\tau)d\tau / C(0)$: the correlation time of a decaying $C$."""
    return jnp.trapezoid(C, tau) / C[0]
