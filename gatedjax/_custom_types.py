"""Type aliases shared across gatedjax (jaxtyping, with named dimensions)."""

from typing import TypeAlias

from jaxtyping import Array, ArrayLike, Float

#: A scalar or per-unit parameter: shape `()` or `(n,)`.
ParamLike: TypeAlias = Float[ArrayLike, "*n"]
#: A network state: rows `h, z, r`, shape `(3, n)`.
State: TypeAlias = Float[Array, "3 n"]
#: A coupling matrix, shape `(n, n)`.
CouplingMatrix: TypeAlias = Float[Array, "n n"]
#: Save times, shape `(t,)`.
Times: TypeAlias = Float[Array, " t"]
