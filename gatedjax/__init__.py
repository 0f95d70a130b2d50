"""gatedjax: random gated recurrent neural networks in JAX.

The continuous-time gated RNN of Krishnamurthy, Can & Schwab, *Theory of Gating in Recurrent
Neural Networks*, Phys. Rev. X 12, 011011 (2022): simulation, stability, Lyapunov spectra and
mean-field theory. Plotting lives in `gatedjax.plotting` (imported on demand).
"""

from ._dmft import (
    ClassicDMFT as ClassicDMFT,
    DMFTSolution as DMFTSolution,
    StaticSolution as StaticSolution,
    chaos_order_parameter as chaos_order_parameter,
    classic_dmft as classic_dmft,
    correlation_time as correlation_time,
    dmft_solve as dmft_solve,
    lyapunov_dmft as lyapunov_dmft,
    marginal_stability_boundary as marginal_stability_boundary,
    population_autocorrelation as population_autocorrelation,
    relaxation_time as relaxation_time,
    small_delta_coefficient as small_delta_coefficient,
    stability_index_mft as stability_index_mft,
    static_map as static_map,
    static_mft as static_mft,
    static_roots as static_roots,
    topological_threshold as topological_threshold,
    typical_fp_instability as typical_fp_instability,
    zero_fp_instability as zero_fp_instability,
)
from ._fixed_points import (
    FixedPoints as FixedPoints,
    SlowPoints as SlowPoints,
    find_fixed_points as find_fixed_points,
    find_slow_points as find_slow_points,
)
from ._integrate import save_times as save_times, simulate as simulate
from ._jacobian import (
    eigvals as eigvals,
    flatten_grid as flatten_grid,
    grid_spectra as grid_spectra,
    jacobian as jacobian,
    jacobian_operator as jacobian_operator,
    jacobian_spectrum as jacobian_spectrum,
)
from ._lyapunov import (
    LyapunovSolution as LyapunovSolution,
    gated_jacobian_trace as gated_jacobian_trace,
    gated_lyapunov_spectrum as gated_lyapunov_spectrum,
    gated_tangent as gated_tangent,
    kaplan_yorke as kaplan_yorke,
    lyapunov_spectrum as lyapunov_spectrum,
    max_lyapunov as max_lyapunov,
)
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
from ._rmt import (
    frozen_fraction as frozen_fraction,
    frozen_fraction_gaussian as frozen_fraction_gaussian,
    marginal_stability as marginal_stability,
    near_zero_fraction as near_zero_fraction,
    spectral_edge as spectral_edge,
    stability_index as stability_index,
    support_boundary as support_boundary,
    support_function as support_function,
    support_function_gaussian as support_function_gaussian,
)
from ._seed import gated_recurrent_dynamics as gated_recurrent_dynamics
from ._solution import RESULTS as RESULTS, Solution as Solution
from ._solvers import RK4 as RK4

__version__ = "0.1.0"
