"""Result codes and solution containers."""

import diffrax as dfx
import equinox as eqx
from jaxtyping import Array, Float, Int


class RESULTS(dfx.RESULTS):  # pyright: ignore
    """Outcome codes of gatedjax solves (extends diffrax's and optimistix's codes)."""

    nonfinite_state = (
        "The trajectory became non-finite (NaN or inf): the solve diverged. With a fixed "
        "step, reduce `dt0`; with an adaptive solver, tighten `rtol`/`atol`; also check that "
        "the parameters are in a sensible range."
    )


class Solution(eqx.Module):
    """A simulated trajectory of the gated network.

    **Fields:**

    - `ts`: save times, shape `(t,)`.
    - `ys`: states at `ts`, shape `(t, 3, n)` with rows `h, z, r` (leading batch axes come
        from `vmap`).
    - `stats`: solver statistics (`num_steps`, `num_accepted_steps`, `num_rejected_steps`,
        `max_steps`), scalar integer arrays.
    - `result`: a [`gatedjax.RESULTS`][] code; `RESULTS.successful` when the solve finished.
        Only meaningful with `throw=False` (otherwise a failure raises).
    """

    ts: Float[Array, " t"]
    ys: Float[Array, "t 3 n"]
    stats: dict[str, Int[Array, ""]]
    result: RESULTS

    @property
    def h(self) -> Float[Array, "t n"]:
        return self.ys[..., 0, :]

    @property
    def z(self) -> Float[Array, "t n"]:
        return self.ys[..., 1, :]

    @property
    def r(self) -> Float[Array, "t n"]:
        return self.ys[..., 2, :]
