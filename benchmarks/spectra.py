"""Jacobian spectra on a 16-point parameter grid at N = 300 (900 x 900 Jacobians), side by side:

gatedjax (`grid_spectra`: jacfwd + eigvals, vmapped over the grid, one shared coupling draw)
vs a NumPy loop (the hand-derived block Jacobian + `numpy.linalg.eigvals`), both float64, at one
shared state. Also checks both give the same eigenvalues.

    python benchmarks/spectra.py [--repeats 5] [--n 300]
"""

import argparse
import sys
from pathlib import Path

import jax
import jax.random as jr
import numpy as np

jax.config.update("jax_enable_x64", True)

from _common import machine, time_jax, time_plain

import gatedjax as gj

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.helpers import np_jacobian_blocks  # the independent NumPy Jacobian

p = argparse.ArgumentParser()
p.add_argument("--n", type=int, default=300)
p.add_argument("--repeats", type=int, default=5)
args = p.parse_args()
N, R = args.n, args.repeats

couplings = gj.sample_couplings(jr.key(0), N)
y = gj.sample_state(jr.key(1), N)
grid = gj.param_grid(gj.GatedParams(g_h=3.0, beta_h=0.2), alpha_z=[0.0, 1.0, 3.0, 10.0],
                     alpha_r=[0.0, 1.0, 2.0, 4.0])
Js = [np.asarray(J) for J in (couplings.J_h, couplings.J_z, couplings.J_r)]
y_np = np.asarray(y)
flat, _ = gj.flatten_grid(grid, N)
points = [{k: float(np.asarray(v)[i]) for k, v in vars(flat).items()} for i in range(16)]

compile_s, jax_s, _ = time_jax(lambda: gj.grid_spectra(grid, couplings, y), R)


def numpy_loop():
    return [np.linalg.eigvals(np_jacobian_blocks(y_np, p, *Js)) for p in points]


np_s, _, np_out = time_plain(numpy_loop, R)
jx = np.asarray(gj.grid_spectra(grid, couplings, y)).reshape(16, -1)
err = max(np.max(np.abs(np.sort_complex(a) - np.sort_complex(b))) for a, b in zip(jx, np_out))

print(f"machine: {machine()}; N={N}, 16 grid points, {3 * N}x{3 * N} Jacobians, float64")
print(f"gatedjax grid_spectra (vmapped): compile {compile_s:.2f} s, run {jax_s:.3f} s")
print(f"NumPy loop (analytic Jacobian + eigvals): run {np_s:.3f} s")
print(f"ratio NumPy / gatedjax: {np_s / jax_s:.2f}x; max eigenvalue difference {err:.1e}")
