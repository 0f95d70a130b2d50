"""Dynamical mean-field theory of the gated network (static, classic exact, sampling)."""

from ._classic import (
    ClassicDMFT as ClassicDMFT,
    classic_dmft as classic_dmft,
    lyapunov_dmft as lyapunov_dmft,
    relaxation_time as relaxation_time,
)
from ._critical import (
    chaos_order_parameter as chaos_order_parameter,
    marginal_stability_boundary as marginal_stability_boundary,
    small_delta_coefficient as small_delta_coefficient,
    topological_threshold as topological_threshold,
    typical_fp_instability as typical_fp_instability,
    zero_fp_instability as zero_fp_instability,
)
from ._empirical import (
    correlation_time as correlation_time,
    population_autocorrelation as population_autocorrelation,
)
from ._sampling import DMFTSolution as DMFTSolution, dmft_solve as dmft_solve
from ._static import (
    StaticSolution as StaticSolution,
    stability_index_mft as stability_index_mft,
    static_map as static_map,
    static_mft as static_mft,
    static_roots as static_roots,
)
