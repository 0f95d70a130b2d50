"""Small shared helpers: concreteness checks and argument validation.

Validation happens on the host, before any tracing, and only for concrete values: inside
`jax.jit`/`jax.vmap` the values are tracers and the checks are skipped (the caller's outer,
concrete call has already run them, or the caller has opted into transforms knowingly).
"""

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np


def is_concrete(x: Any) -> bool:
    """`True` when `x` holds actual values (not a JAX tracer)."""
    return not isinstance(x, jax.core.Tracer)


def check_finite(name: str, x: Any, hint: str = "") -> None:
    """Raise a `ValueError` naming `name` if the concrete array `x` has NaN or inf."""
    if not is_concrete(x):
        return
    arr = np.asarray(x)
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(
            f"`{name}` contains {bad} non-finite value(s) (NaN or inf); "
            f"all entries must be finite.{(' ' + hint) if hint else ''}"
        )


def check_positive(name: str, x: Any) -> None:
    """Raise a `ValueError` naming `name` unless every entry of concrete `x` is > 0."""
    if not is_concrete(x):
        return
    arr = np.asarray(x)
    if not np.all(arr > 0):
        raise ValueError(
            f"`{name}` must be strictly positive (got min {np.min(arr)!r}); "
            "time constants and intervals are > 0."
        )


def check_positive_scalar(name: str, x: Any) -> float:
    """Validate and return a positive, finite Python float."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a positive number, got {x!r}.") from None
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"`{name}` must be a positive finite number, got {x!r}.")
    return v


def check_nonnegative_scalar(name: str, x: Any) -> float:
    """Validate and return a finite Python float `>= 0` (transients, discarded times)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a finite number >= 0, got {x!r}.") from None
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"`{name}` must be a finite number >= 0, got {x!r}.")
    return v


def check_int_at_least(name: str, x: Any, lo: int) -> int:
    if isinstance(x, bool) or int(x) != x:
        raise ValueError(f"`{name}` must be an integer >= {lo}, got {x!r}.")
    if int(x) < lo:
        raise ValueError(f"`{name}` must be an integer >= {lo}, got {x!r}.")
    return int(x)


def default_float() -> jnp.dtype:
    """The default floating dtype JAX would use right now (float64 only under x64)."""
    return jax.dtypes.canonicalize_dtype(jnp.float64)


def complex_dtype(dtype) -> jnp.dtype:
    """The complex dtype matching a real floating dtype (complex128 for float64)."""
    return jnp.complex128 if jnp.dtype(dtype) == jnp.float64 else jnp.complex64
