"""Dynamical mean-field theory of the gated network (static, classic exact, sampling)."""

from ._classic import (
    ClassicDMFT as ClassicDMFT,
)
from ._classic import (
    classic_dmft as classic_dmft,
)
from ._classic import (
    lyapunov_dmft as lyapunov_dmft,
)
from ._classic import (
    relaxation_time as relaxation_time,
)
from ._critical import (
    chaos_order_parameter as chaos_order_parameter,
    marginal_stability_boundary as marginal_stability_boundary,
)
from ._critical import (
    chaos_order_parameter as chaos_order_parameter,
    small_delta_coefficient as small_delta_coefficient,
)
from ._critical import (
    chaos_order_parameter as chaos_order_parameter,
    topological_threshold as topological_threshold,
)
from ._critical import (
    chaos_order_parameter as chaos_order_parameter,
    typical_fp_instability as typical_fp_instability,
)
from ._critical import (
    chaos_order_parameter as chaos_order_parameter,
    zero_fp_instability as zero_fp_instability,
)
from ._empirical import (
    correlation_time as correlation_time,
)
from ._empirical import (
    population_autocorrelation as population_autocorrelation,
)
from ._sampling import DMFTSolution as DMFTSolution
from ._sampling import dmft_solve as dmft_solve
from ._static import (
    StaticSolution as StaticSolution,
)
from ._static import (
    stability_index_mft as stability_index_mft,
)
from ._static import (
    static_map as static_map,
)
from ._static import (
    static_mft as static_mft,
)
from ._static import (
    static_roots as static_roots,
)
