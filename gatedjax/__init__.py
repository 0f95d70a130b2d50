"""gatedjax: random gated recurrent neural networks in JAX.

The continuous-time gated RNN of Krishnamurthy, Can & Schwab, *Theory of Gating in Recurrent
Neural Networks*, Phys. Rev. X 12, 011011 (2022): simulation, stability, Lyapunov spectra and
mean-field theory. Plotting lives in `gatedjax.plotting` (imported on demand).
"""

from ._integrate import save_times as save_times, simulate as simulate
from ._model import (
    Couplings as Couplings,
    GatedParams as GatedParams,
    Inputs as Inputs,
    gates as gates,
    param_grid as param_grid,
    phi as phi,
    sample_couplings as sample_couplings,
    sample_state as sample_state,
    vector_field as vector_field,
)
from ._seed import gated_recurrent_dynamics as gated_recurrent_dynamics
from ._solution import RESULTS as RESULTS, Solution as Solution
from ._solvers import RK4 as RK4

__version__ = "0.1.0"
