"""gatedjax: random gated recurrent neural networks in JAX.

The continuous-time gated RNN of Krishnamurthy, Can & Schwab, *Theory of Gating in Recurrent
Neural Networks*, Phys. Rev. X 12, 011011 (2022): simulation, stability, Lyapunov spectra and
mean-field theory. Plotting lives in `gatedjax.plotting` (imported on demand).
"""

from ._dmft import (
    ClassicDMFT as ClassicDMFT,
    chaos_order_parameter as chaos_order_parameter,
)
from ._dmft import (
    DMFTSolution as DMFTSolution,
)
from ._dmft import (
    StaticSolution as StaticSolution,
)
from ._dmft import (
    classic_dmft as classic_dmft,
)
from ._dmft import (
    correlation_time as correlation_time,
)
from ._dmft import (
    dmft_solve as dmft_solve,
)
from ._dmft import (
    lyapunov_dmft as lyapunov_dmft,
)
from ._dmft import (
    marginal_stability_boundary as marginal_stability_boundary,
)
from ._dmft import (
    population_autocorrelation as population_autocorrelation,
)
from ._dmft import (
    relaxation_time as relaxation_time,
)
from ._dmft import (
    small_delta_coefficient as small_delta_coefficient,
)
from ._dmft import (
    stability_index_mft as stability_index_mft,
)
from ._dmft import (
    static_map as static_map,
)
from ._dmft import (
    static_mft as static_mft,
)
from ._dmft import (
    static_roots as static_roots,
)
from ._dmft import (
    topological_threshold as topological_threshold,
)
from ._dmft import (
    typical_fp_instability as typical_fp_instability,
)
from ._dmft import (
    zero_fp_instability as zero_fp_instability,
)
from ._fixed_points import (
    FixedPoints as FixedPoints,
)
from ._fixed_points import (
    SlowPoints as SlowPoints,
)
from ._fixed_points import (
    find_fixed_points as find_fixed_points,
)
from ._fixed_points import (
    find_slow_points as find_slow_points,
)
from ._integrate import save_times as save_times
from ._integrate import simulate as simulate
from ._jacobian import (
    eigvals as eigvals,
)
from ._jacobian import (
    flatten_grid as flatten_grid,
)
from ._jacobian import (
    grid_spectra as grid_spectra,
)
from ._jacobian import (
    jacobian as jacobian,
)
from ._jacobian import (
    jacobian_operator as jacobian_operator,
)
from ._jacobian import (
    jacobian_spectrum as jacobian_spectrum,
)
from ._lyapunov import (
    LyapunovSolution as LyapunovSolution,
)
from ._lyapunov import (
    gated_jacobian_trace as gated_jacobian_trace,
)
from ._lyapunov import (
    gated_lyapunov_spectrum as gated_lyapunov_spectrum,
)
from ._lyapunov import (
    gated_tangent as gated_tangent,
)
from ._lyapunov import (
    kaplan_yorke as kaplan_yorke,
)
from ._lyapunov import (
    lyapunov_spectrum as lyapunov_spectrum,
)
from ._lyapunov import (
    max_lyapunov as max_lyapunov,
)
from ._model import (
    Couplings as Couplings,
)
from ._model import (
    GatedParams as GatedParams,
)
from ._model import (
    Inputs as Inputs,
)
from ._model import (
    gates as gates,
)
from ._model import (
    param_grid as param_grid,
)
from ._model import (
    phi as phi,
)
from ._model import (
    sample_couplings as sample_couplings,
)
from ._model import (
    sample_state as sample_state,
)
from ._model import (
    vector_field as vector_field,
)
from ._rmt import (
    frozen_fraction as frozen_fraction,
)
from ._rmt import (
    frozen_fraction_gaussian as frozen_fraction_gaussian,
)
from ._rmt import (
    marginal_stability as marginal_stability,
)
from ._rmt import (
    near_zero_fraction as near_zero_fraction,
)
from ._rmt import (
    spectral_edge as spectral_edge,
)
from ._rmt import (
    stability_index as stability_index,
)
from ._rmt import (
    support_boundary as support_boundary,
)
from ._rmt import (
    support_function as support_function,
)
from ._rmt import (
    support_function_gaussian as support_function_gaussian,
)
from ._seed import gated_recurrent_dynamics as gated_recurrent_dynamics
from ._solution import RESULTS as RESULTS
from ._solution import Solution as Solution
from ._solvers import RK4 as RK4

__version__ = "0.1.0"
