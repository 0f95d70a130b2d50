"""Gaussian averages by Gauss–Hermite quadrature (probabilists' weights)."""

import functools

import jax.numpy as jnp
import numpy as np


@functools.lru_cache(maxsize=16)
def _nodes(order: int):
    x, w = np.polynomial.hermite_e.hermegauss(order)
    return x, w / np.sqrt(2 * np.pi)


def gauss(order: int, dtype):
    """Nodes and weights with `sum(w * f(x)) ≈ E[f(X)]`, `X ~ N(0, 1)`."""
    x, w = _nodes(order)
    return jnp.asarray(x, dtype), jnp.asarray(w, dtype)


def expect(f, variance, order: int = 61):
    """`E[f(sqrt(variance) X)]` for `X ~ N(0, 1)`; `variance` may be 0."""
    variance = jnp.asarray(variance)
    x, w = gauss(order, variance.dtype)
    return jnp.sum(w * f(jnp.sqrt(jnp.maximum(variance, 0.0)) * x))


def expect_pair(f, g, var, cov, order: int = 41):
    """`E[f(a) g(b)]` for `(a, b)` centred Gaussian, both variances `var`, covariance `cov`
    (`0 <= cov <= var`): `a = sqrt(var - cov) x1 + sqrt(cov) z`, `b = sqrt(var - cov) x2 + sqrt(cov) z`.
    """
    var, cov = jnp.asarray(var), jnp.asarray(cov)
    x, w = gauss(order, var.dtype)
    s_ind = jnp.sqrt(jnp.maximum(var - cov, 0.0))
    s_com = jnp.sqrt(jnp.maximum(cov, 0.0))
    base = s_com * x[:, None] + s_ind * x[None, :]  # (z, x)
    Ef = jnp.sum(w[None, :] * f(base), axis=1)
    Eg = Ef if g is f else jnp.sum(w[None, :] * g(base), axis=1)
    return jnp.sum(w * Ef * Eg)
