import jax
import jax.random as jr
import pytest

# Tests run in float64 with strict promotion, so that any silent dtype mixing in the library
# is an error here (the library itself never touches global config).
jax.config.update("jax_enable_x64", True)
jax.config.update("jax_numpy_rank_promotion", "raise")
jax.config.update("jax_numpy_dtype_promotion", "strict")


@pytest.fixture
def getkey():
    """Fresh, reproducible PRNG keys: `getkey()` returns the next key of a fixed stream."""
    key = [jr.key(1234)]

    def _next():
        key[0], sub = jr.split(key[0])
        return sub

    return _next
