"""Shared timing helpers for the benchmarks (not part of the package)."""

import platform
import statistics
import time

import jax


def block(x):
    return jax.tree_util.tree_map(lambda a: a.block_until_ready() if hasattr(a, "block_until_ready") else a, x)


def time_jax(fn, repeats):
    """(compile_s, run_s median, all runs): the first call includes tracing + compilation."""
    t = time.perf_counter()
    block(fn())
    first = time.perf_counter() - t
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        block(fn())
        runs.append(time.perf_counter() - t)
    med = statistics.median(runs)
    return max(first - med, 0.0), med, runs


def time_plain(fn, repeats):
    runs = []
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), runs, out


def machine():
    return (f"{platform.machine()}, {jax.devices()[0].platform}, jax {jax.__version__}, "
            f"python {platform.python_version()}")
