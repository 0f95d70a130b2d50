"""Extra diffrax solvers used by gatedjax."""

from collections.abc import Callable
from typing import ClassVar

import diffrax as dfx
import numpy as np
from diffrax._solver.runge_kutta import AbstractERK, ButcherTableau

# Classical fourth-order Runge--Kutta. diffrax ships no RK4; this is the textbook tableau,
# with the explicit midpoint rule (same stages) as an embedded 2nd-order error estimate so the
# solver also works (crudely) with adaptive controllers.
_rk4_tableau = ButcherTableau(
    a_lower=(np.array([0.5]), np.array([0.0, 0.5]), np.array([0.0, 0.0, 1.0])),
    b_sol=np.array([1 / 6, 1 / 3, 1 / 3, 1 / 6]),
    b_error=np.array([1 / 6, 1 / 3 - 1.0, 1 / 3, 1 / 6]),
    c=np.array([0.5, 0.5, 1.0]),
)


class RK4(AbstractERK):
    """The classical 4th-order Runge--Kutta method (4 stages), for fixed-step solves.

    Uses 3rd-order Hermite interpolation for dense output.
    """

    tableau: ClassVar[ButcherTableau] = _rk4_tableau
    interpolation_cls: ClassVar[
        Callable[..., dfx.ThirdOrderHermitePolynomialInterpolation]
    ] = dfx.ThirdOrderHermitePolynomialInterpolation.from_k

    def order(self, terms):
        del terms
        return 4
