"""Linearised dynamics: dense Jacobians, matrix-free operators and eigen-spectra."""

from typing import Literal

import equinox as eqx
import jax
import jax.numpy as jnp
import lineax as lx
import numpy as np
from jaxtyping import Array, Complex, Float

from ._custom_types import State
from ._misc import complex_dtype
from ._model import Couplings, GatedParams, check_system, vector_field


def _flat_field(params: GatedParams, couplings: Couplings, t=0.0, inputs=None):
    args = (params, couplings) if inputs is None else (params, couplings, inputs)

    def f(x):
        n = x.shape[0] // 3
        return vector_field(t, x.reshape(3, n), args).reshape(-1)

    return f


def jacobian(
    params: GatedParams, couplings: Couplings, y: State, *, t=0.0, inputs=None
) -> Float[Array, "3n 3n"]:
    r"""The dense Jacobian of [`gatedjax.vector_field`][] at state `y`, from `jax.jacfwd`.

    Rows and columns are in `(h, z, r)` block order: entry `[a*n + i, b*n + j]` is
    $\partial \dot y_{a,i} / \partial y_{b,j}$ with $a, b \in \{h, z, r\}$ as `0, 1, 2`.

    **Arguments:**

    - `params`, `couplings`: the network.
    - `y`: state of shape `(3, n)`.
    - `t`, `inputs`: only matter with time-dependent [`gatedjax.Inputs`][].

    **Returns:** an array of shape `(3n, 3n)` in the dtype of `y`.
    """
    _check(params, couplings, y)
    y = jnp.asarray(y)
    params = params.astype(y.dtype)
    return jax.jacfwd(_flat_field(params, couplings, t, inputs))(y.reshape(-1))


def jacobian_operator(
    params: GatedParams, couplings: Couplings, y: State, *, t=0.0, inputs=None
) -> lx.AbstractLinearOperator:
    """The Jacobian at `y` as a matrix-free `lineax` operator on flat vectors of length `3n`.

    Matrix-vector products are JVPs of the vector field (cost: about two vector-field
    evaluations), so nothing of size `(3n, 3n)` is formed. Use it for large `n` with lineax
    solvers or iterative eigensolvers; `.as_matrix()` materialises it.
    """
    _check(params, couplings, y)
    y = jnp.asarray(y)
    params = params.astype(y.dtype)
    return lx.JacobianLinearOperator(
        lambda x, _: _flat_field(params, couplings, t, inputs)(x), y.reshape(-1), jac="fwd"
    )


def eigvals(
    matrix: Float[Array, "*batch m m"], *, method: Literal["auto", "device", "host"] = "auto"
) -> Complex[Array, "*batch m"]:
    """Eigenvalues of a (batch of) real square matrix, sorted by decreasing real part.

    Non-symmetric eigendecomposition is only implemented on some backends. `method="auto"`
    runs `jnp.linalg.eigvals` on CPU and falls back to NumPy/LAPACK on the host (through
    `jax.pure_callback`) on accelerators; `"device"` or `"host"` forces one. Not differentiable.
    """
    if method not in ("auto", "device", "host"):
        raise ValueError(f"`method` must be 'auto', 'device' or 'host', got {method!r}.")
    matrix = jnp.asarray(matrix)
    if method == "auto":
        method = "device" if jax.default_backend() == "cpu" else "host"
    if method == "device":
        ev = jnp.linalg.eigvals(matrix)
    else:
        cdtype = complex_dtype(matrix.dtype)
        shape = jax.ShapeDtypeStruct(matrix.shape[:-1], cdtype)
        ev = jax.pure_callback(
            lambda a: np.linalg.eigvals(np.asarray(a)).astype(cdtype), shape, matrix,
            vmap_method="broadcast_all",
        )
    order = jnp.argsort(-ev.real, axis=-1)
    return jnp.take_along_axis(ev, order, axis=-1)


def jacobian_spectrum(
    params: GatedParams,
    couplings: Couplings,
    y: State,
    *,
    method: Literal["auto", "device", "host"] = "auto",
) -> Complex[Array, " 3n"]:
    """The `3n` eigenvalues of [`gatedjax.jacobian`][] at `y`, by decreasing real part.

    One system per call: for parameter grids use [`gatedjax.grid_spectra`][] or
    `jax.vmap(jacobian_spectrum, in_axes=(0, None, None))`.
    """
    return eigvals(jacobian(params, couplings, y), method=method)


def flatten_grid(grid: GatedParams, n: int) -> tuple[GatedParams, tuple[int, ...]]:
    """Flatten a stacked `GatedParams` to one leading axis; returns `(flat, grid_shape)`.

    Every field must have the grid shape `S` (one value per grid point), `S + (n,)` (per-unit
    values at each point) or `()` (shared). Raises `ValueError` naming the field otherwise.
    """
    shapes = {k: jnp.shape(v) for k, v in vars(grid).items()}
    nonscalar = [s for s in shapes.values() if s != ()]
    shape = min(nonscalar, key=len) if nonscalar else ()
    for name, s in shapes.items():
        if s not in ((), shape, shape + (n,)):
            raise ValueError(
                f"parameter grid axes do not match: `{name}` has shape {s}, expected {shape} "
                f"(or {shape + (n,)} per unit). Build grids with gatedjax.param_grid."
            )
    size = int(np.prod(shape, dtype=int))

    def flat(x):
        x = jnp.asarray(x)
        unit = x.shape[len(shape):] if x.ndim > len(shape) else ()
        return jnp.broadcast_to(x, shape + unit).reshape(size, *unit)

    return jax.tree_util.tree_map(flat, grid), shape


@eqx.filter_jit
def _grid_spectra(flat, couplings, ys, method):
    in_axes = (0, None, 0 if ys.ndim == 3 else None)
    return jax.vmap(lambda p, c, y: jacobian_spectrum(p, c, y, method=method), in_axes)(
        flat, couplings, ys
    )


def grid_spectra(
    grid: GatedParams,
    couplings: Couplings,
    y: Float[Array, "*grid 3 n"],
    *,
    method: Literal["auto", "device", "host"] = "auto",
) -> Complex[Array, "*grid 3n"]:
    """Jacobian spectra at every point of a parameter grid, vmapped, with one coupling draw.

    **Arguments:**

    - `grid`: stacked [`gatedjax.GatedParams`][] with fields of shape `grid` (e.g. from
        [`gatedjax.param_grid`][]).
    - `couplings`: shared by every grid point.
    - `y`: one state `(3, n)` used at every point, or one state per point `(*grid, 3, n)`
        (e.g. the fixed point found at each parameter value).

    **Returns:** eigenvalues of shape `(*grid, 3n)`, each row by decreasing real part.

    **Raises:** `ValueError` if the grid fields or the states' leading axes do not match.
    """
    n = couplings.n
    flat, shape = flatten_grid(grid, n)
    y = jnp.asarray(y)
    if y.shape[:-2] not in ((), shape):
        raise ValueError(
            f"`y` must have shape (3, n) or grid shape + (3, n) = {shape + (3, n)}; got {y.shape}."
        )
    ys = y if y.ndim == 2 else y.reshape(-1, *y.shape[-2:])
    _check(jax.tree_util.tree_map(lambda x: x[0], flat), couplings, ys if ys.ndim == 2 else ys[0])
    out = _grid_spectra(flat, couplings, ys, method)
    return out.reshape(*shape, out.shape[-1])


def _check(params, couplings, y):
    check_system(params, couplings, y, name="y")
