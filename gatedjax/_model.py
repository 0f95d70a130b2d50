"""The gated recurrent network: parameters, couplings, inputs and the vector field."""

from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import jax.random as jr
from jaxtyping import Array, ArrayLike, Float, PRNGKeyArray

from ._custom_types import CouplingMatrix, State
from ._misc import check_finite, check_positive, default_float

_PARAM_NAMES = ("g_h", "alpha_z", "alpha_r", "beta_h", "beta_z", "beta_r", "tau_z", "tau_r")


class GatedParams(eqx.Module):
    r"""Gains, biases and time constants of the gated network.

    Every field is a JAX array of shape `()` (shared by all units) or `(n,)` (per unit).
    Stack several `GatedParams` along a leading axis (e.g. with [`gatedjax.param_grid`][])
    and `jax.vmap`/`eqx.filter_vmap` over them for parameter sweeps.

    **Fields:**

    - `g_h`: gain of $\phi(x) = \tanh(g_h x + \beta_h)$. Default `1.0`.
    - `alpha_z`, `alpha_r`: gains of the gates $\sigma_k(x) = 1/(1 + e^{-\alpha_k x + \beta_k})$.
        Default `0.0` (constant gates).
    - `beta_h`: bias inside $\phi$ (a static input current). Default `0.0`.
    - `beta_z`, `beta_r`: gate biases; $\beta_k > 0$ closes the gate on average. Default `0.0`.
    - `tau_z`, `tau_r`: time constants of the gate variables, `> 0`. Default `1.0`.

    **Raises:**

    `ValueError` at construction, for concrete values, if any field is non-finite or a time
    constant is not positive.
    """

    g_h: Array = eqx.field(converter=jnp.asarray, default=1.0)
    alpha_z: Array = eqx.field(converter=jnp.asarray, default=0.0)
    alpha_r: Array = eqx.field(converter=jnp.asarray, default=0.0)
    beta_h: Array = eqx.field(converter=jnp.asarray, default=0.0)
    beta_z: Array = eqx.field(converter=jnp.asarray, default=0.0)
    beta_r: Array = eqx.field(converter=jnp.asarray, default=0.0)
    tau_z: Array = eqx.field(converter=jnp.asarray, default=1.0)
    tau_r: Array = eqx.field(converter=jnp.asarray, default=1.0)

    def __check_init__(self):
        for name in _PARAM_NAMES:
            value = getattr(self, name)
            check_finite(f"GatedParams.{name}", value)
        check_positive("GatedParams.tau_z", self.tau_z)
        check_positive("GatedParams.tau_r", self.tau_r)

    def astype(self, dtype) -> "GatedParams":
        """Cast every field to `dtype` (used so that one solve runs in one precision)."""
        return jax.tree_util.tree_map(lambda x: jnp.asarray(x, dtype=dtype), self)


class Couplings(eqx.Module):
    """The three random coupling matrices, each of shape `(n, n)`.

    `n` is read from `J_h.shape`. Keep couplings apart from [`gatedjax.GatedParams`][] so that a
    sweep can vmap the gains while every grid point shares one coupling draw.
    """

    J_h: CouplingMatrix
    J_z: CouplingMatrix
    J_r: CouplingMatrix

    @property
    def n(self) -> int:
        return self.J_h.shape[-1]

    def astype(self, dtype) -> "Couplings":
        return jax.tree_util.tree_map(lambda x: jnp.asarray(x, dtype=dtype), self)


def sample_couplings(key: PRNGKeyArray, n: int, *, dtype=None) -> Couplings:
    """Draw `J_h, J_z, J_r` with i.i.d. $\\mathcal N(0, 1/n)$ entries.

    **Arguments:**

    - `key`: a JAX PRNG key; the three matrices use `jr.split(key, 3)`.
    - `n`: number of units.
    - `dtype`: floating dtype; defaults to JAX's default float.

    **Returns:** a [`gatedjax.Couplings`][] with matrices of shape `(n, n)`.
    """
    n = _check_n(n)
    dtype = default_float() if dtype is None else dtype
    kh, kz, kr = jr.split(key, 3)
    scale = 1.0 / jnp.sqrt(jnp.asarray(n, dtype))
    draw = lambda k: jr.normal(k, (n, n), dtype) * scale
    return Couplings(draw(kh), draw(kz), draw(kr))


def sample_state(key: PRNGKeyArray, n: int, *, scale: float = 1.0, dtype=None) -> State:
    """A random initial state of shape `(3, n)` with i.i.d. $\\mathcal N(0, \\text{scale}^2)$ entries."""
    n = _check_n(n)
    dtype = default_float() if dtype is None else dtype
    return scale * jr.normal(key, (3, n), dtype)


def _check_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int | jnp.integer) or int(n) < 1:
        raise ValueError(f"`n` must be a positive integer number of units, got {n!r}.")
    return int(n)


def _as_drive(drive, t, dtype):
    if drive is None:
        return None
    value = drive(t) if callable(drive) else drive
    return jnp.asarray(value, dtype)


class Inputs(eqx.Module):
    """External drives added to the `h`, `z` and `r` equations.

    Each field is `None` (no drive), a constant array of shape `()` or `(n,)`, or a callable
    `t -> array` of that shape (a pulse, a ramp, a gate reset). The drives enter as

    $$\\dot h = \\sigma_z(z)\\,(-h + J^h(\\phi(h)\\odot\\sigma_r(r)) + I_h(t)),\\quad
    \\tau_z\\dot z = -z + J^z\\phi(h) + I_z(t),\\quad \\tau_r\\dot r = -r + J^r\\phi(h) + I_r(t),$$

    so an `h` input is integrated only where the update gate is open (the flexible-integrator
    picture of the paper), and `z`/`r` inputs move the gates (memory reset).

    Callables are static under `jax.jit`: pass the *same* function object across calls to avoid
    recompilation; put changing amplitudes in arrays captured with `eqx.Partial`.
    """

    h: Any = None
    z: Any = None
    r: Any = None


def phi(params: GatedParams, h: Array) -> Array:
    r"""$\phi(h) = \tanh(g_h h + \beta_h)$."""
    return jnp.tanh(params.g_h * h + params.beta_h)


def gates(params: GatedParams, y: State) -> tuple[Array, Array]:
    r"""The gate values $(\sigma_z(z), \sigma_r(r))$, each of shape `(n,)`, at state `y`."""
    _, z, r = y
    sigma_z = jax.nn.sigmoid(params.alpha_z * z - params.beta_z)
    sigma_r = jax.nn.sigmoid(params.alpha_r * r - params.beta_r)
    return sigma_z, sigma_r


def vector_field(t: Any, y: State, args: tuple) -> State:
    r"""The gated-network vector field, with diffrax's `(t, y, args)` signature.

    $$\frac{dh}{dt} = \sigma_z(z)\odot\big(-h + J^h(\phi(h)\odot\sigma_r(r))\big),\qquad
    \tau_z\frac{dz}{dt} = -z + J^z\phi(h),\qquad \tau_r\frac{dr}{dt} = -r + J^r\phi(h),$$

    $$\phi(x) = \tanh(g_h x + \beta_h),\qquad \sigma_k(x) = \frac{1}{1 + e^{-\alpha_k x + \beta_k}}.$$

    **Arguments:**

    - `t`: time (used only by time-dependent [`gatedjax.Inputs`][]).
    - `y`: state of shape `(3, n)` with rows `h, z, r`.
    - `args`: `(params, couplings)` or `(params, couplings, inputs)` with a
        [`gatedjax.GatedParams`][], [`gatedjax.Couplings`][] and optional
        [`gatedjax.Inputs`][].

    **Returns:** the time derivative, shape `(3, n)`, in the dtype of `y`.

    ??? cite "Reference"
        K. Krishnamurthy, T. Can, D. J. Schwab, *Theory of Gating in Recurrent Neural
        Networks*, Phys. Rev. X 12, 011011 (2022).
    """
    params, couplings, inputs = _unpack_args(args)
    dtype = y.dtype
    params = params.astype(dtype)
    h, z, r = y
    ph = phi(params, h)
    sigma_z, sigma_r = gates(params, y)
    drive_h = J_dot(couplings.J_h, ph * sigma_r)
    drive_z = J_dot(couplings.J_z, ph)
    drive_r = J_dot(couplings.J_r, ph)
    if inputs is not None:
        drive_h, drive_z, drive_r = (
            d if (I := _as_drive(src, t, dtype)) is None else d + I
            for d, src in ((drive_h, inputs.h), (drive_z, inputs.z), (drive_r, inputs.r))
        )
    dh = sigma_z * (drive_h - h)
    dz = (drive_z - z) / params.tau_z
    dr = (drive_r - r) / params.tau_r
    return jnp.stack([dh, dz, dr])


def J_dot(J: Float[Array, "n n"], v: Float[Array, " n"]) -> Float[Array, " n"]:
    """Matrix-vector product at full precision (no TF32/bf16 passes on accelerators)."""
    return jnp.dot(J.astype(v.dtype), v, precision=jax.lax.Precision.HIGHEST)


def _unpack_args(args) -> tuple[GatedParams, Couplings, Inputs | None]:
    if isinstance(args, tuple | list) and len(args) in (2, 3):
        params, couplings = args[0], args[1]
        inputs = args[2] if len(args) == 3 else None
        if isinstance(params, GatedParams) and isinstance(couplings, Couplings):
            return params, couplings, inputs
    raise ValueError(
        "`args` must be `(params, couplings)` or `(params, couplings, inputs)` with a "
        f"GatedParams, a Couplings and an optional Inputs; got {type(args).__name__}."
    )


def param_grid(base: GatedParams | None = None, **axes: ArrayLike) -> GatedParams:
    """Stack parameters on a grid for `jax.vmap`.

    `param_grid(GatedParams(g_h=3.0), alpha_z=[0, 1, 5], alpha_r=[0, 2])` returns a
    `GatedParams` whose named fields have shape `(3, 2)` (the outer product, in keyword order),
    and whose other fields are broadcast to that shape. Flatten with
    `jax.tree_util.tree_map(lambda x: x.reshape(-1, *x.shape[len(shape):]), grid)` or vmap
    twice.

    **Raises:** `ValueError` for an unknown field name or an axis that is not one-dimensional.
    """
    base = GatedParams() if base is None else base
    axes = {name: jnp.asarray(values) for name, values in axes.items()}
    for name, values in axes.items():
        if name not in _PARAM_NAMES:
            raise ValueError(f"`{name}` is not a GatedParams field; valid: {_PARAM_NAMES}.")
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"grid axis `{name}` must be a non-empty 1-D sequence.")
    shape = tuple(v.size for v in axes.values())
    meshes = jnp.meshgrid(*axes.values(), indexing="ij")
    fields = {}
    for name in _PARAM_NAMES:
        if name in axes:
            fields[name] = meshes[list(axes).index(name)]
        else:
            value = jnp.asarray(getattr(base, name))
            fields[name] = jnp.broadcast_to(value, shape + value.shape)
    return GatedParams(**fields)


def check_system(params: GatedParams, couplings: Couplings, y: Any, *, name: str = "y0") -> int:
    """Host-side validation of a (params, couplings, state) triple; returns `n`.

    Raises `ValueError` naming the offending argument, before anything is compiled.
    """
    if not isinstance(params, GatedParams):
        raise ValueError(f"`params` must be a gatedjax.GatedParams, got {type(params).__name__}.")
    if not isinstance(couplings, Couplings):
        raise ValueError(
            f"`couplings` must be a gatedjax.Couplings, got {type(couplings).__name__}."
        )
    shapes = {k: jnp.shape(getattr(couplings, k)) for k in ("J_h", "J_z", "J_r")}
    for k, s in shapes.items():
        if len(s) != 2 or s[0] != s[1]:
            raise ValueError(f"`couplings.{k}` must be a square (n, n) matrix, got shape {s}.")
    if len(set(shapes.values())) != 1:
        raise ValueError(f"coupling matrices must share one shape (n, n); got {shapes}.")
    n = shapes["J_h"][0]
    y_shape = jnp.shape(y)
    if y_shape != (3, n):
        raise ValueError(
            f"`{name}` must have shape (3, n) = (3, {n}) with rows h, z, r; got {y_shape}."
        )
    for pname in _PARAM_NAMES:
        s = jnp.shape(getattr(params, pname))
        if s not in ((), (n,)):
            raise ValueError(
                f"`params.{pname}` must be a scalar or have shape ({n},) per unit; got {s}. "
                "For a parameter grid, vmap over the stacked GatedParams."
            )
    check_finite(name, y)
    for k in shapes:
        check_finite(f"couplings.{k}", getattr(couplings, k))
    return n
