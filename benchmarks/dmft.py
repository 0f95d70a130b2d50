"""Mean-field theory: gatedjax vs SciPy implementations of the same equations, side by side.

1. Static theory on a 100 x 100 grid (g_h in [2.5, 5], alpha_r in [0, 5], beta_h = 0.3):
   gatedjax `static_mft` vmapped over the grid (Newton, 201-node Gauss-Hermite) vs a loop of
   `scipy.optimize.brentq` on the same map with the same NumPy Gauss-Hermite rule.
2. Dynamic DMFT at one point (g_h = 4, constant gates): gatedjax `classic_dmft` vs SciPy
   (brentq on energy conservation with `quad`, `solve_ivp` DOP853 for C_h on the same lags).
   Also the sampling solver `dmft_solve` at (g_h = 4, alpha_z = 3), which has no SciPy peer.

    python benchmarks/dmft.py [--repeats 3]
"""

import argparse
import time

import jax
import jax.random as jr
import numpy as np
from scipy.integrate import quad, solve_ivp
from scipy.optimize import brentq

jax.config.update("jax_enable_x64", True)

from _common import machine, time_jax, time_plain

import gatedjax as gj

p = argparse.ArgumentParser()
p.add_argument("--repeats", type=int, default=3)
args = p.parse_args()
R = args.repeats
print(f"machine: {machine()}, float64")

# ------------------------------------------------------------------ 1. static grid
gs = np.linspace(2.5, 5.0, 100)
ars = np.linspace(0.0, 5.0, 100)
grid = gj.param_grid(gj.GatedParams(beta_h=0.3), g_h=gs, alpha_r=ars)
flat, _ = gj.flatten_grid(grid, 1)
solve = jax.jit(jax.vmap(lambda p: gj.static_mft(p, throw=False).delta_h))
compile_s, jax_s, _ = time_jax(lambda: solve(flat), R)
jx = np.asarray(solve(flat))

x, w = np.polynomial.hermite_e.hermegauss(201)
w = w / np.sqrt(2 * np.pi)


def F_np(d, g, a_r):
    q = w @ np.tanh(g * np.sqrt(d) * x + 0.3) ** 2
    return q * (w @ (1 / (1 + np.exp(-a_r * np.sqrt(q) * x))) ** 2)


def scipy_grid():
    out = np.empty(gs.size * ars.size)
    for i, g in enumerate(gs):
        for j, a in enumerate(ars):
            out[i * ars.size + j] = brentq(lambda d: F_np(d, g, a) - d, 1e-12, 1.0, xtol=1e-14)
    return out


sp_s, _, sp = time_plain(scipy_grid, 1)
err = np.max(np.abs(sp - jx))
print(f"static 100x100 grid: gatedjax compile {compile_s:.2f} s run {jax_s:.3f} s | SciPy loop "
      f"{sp_s:.2f} s | SciPy/gatedjax {sp_s / jax_s:.0f}x | max |ΔΔ_h| {err:.1e}")

# ------------------------------------------------------------------ 2. dynamic, one point
params = gj.GatedParams(g_h=4.0)
compile_s, jax_s, _ = time_jax(lambda: gj.classic_dmft(params).C_h, R)
sol = gj.classic_dmft(params)
g, s_r = 4.0, 0.5
Phi = lambda v: np.log(np.cosh(g * v)) / g


def gauss(f, var):
    s = np.sqrt(var)
    return quad(lambda u: f(s * u) * np.exp(-u * u / 2) / np.sqrt(2 * np.pi), -12, 12)[0]


xs, ws = np.polynomial.hermite_e.hermegauss(120)
ws = ws / np.sqrt(2 * np.pi)


def scipy_dmft():
    energy = lambda d: (-d**2 / 2 + s_r**2 * (gauss(lambda v: Phi(v) ** 2, d)
                                              - gauss(Phi, d) ** 2)) / d**2
    d0 = brentq(energy, 1e-6, 10.0, xtol=1e-14)

    def c_phi(d):
        d = min(max(d, 0.0), d0)
        a = np.sqrt(d0 - d) * xs[None, :] + np.sqrt(d) * xs[:, None]
        return float(ws @ (np.tanh(g * a) @ ws) ** 2)

    u = 0.5 * np.asarray(sol.tau)
    ys = solve_ivp(lambda t, y: [y[1], y[0] - s_r**2 * c_phi(y[0])], (0, u[-1]), [d0, 0.0],
                   t_eval=u, rtol=1e-10, atol=1e-12, method="DOP853").y[0]
    return d0, ys


sp_s, _, (d0, ys) = time_plain(scipy_dmft, R)
print(f"classic DMFT (g_h=4): gatedjax compile {compile_s:.2f} s run {jax_s:.3f} s | SciPy "
      f"{sp_s:.2f} s | SciPy/gatedjax {sp_s / jax_s:.1f}x | |ΔΔ0| {abs(d0 - float(sol.delta0)):.1e}")

t = time.perf_counter()
s = gj.dmft_solve(gj.GatedParams(g_h=4.0, alpha_z=3.0), key=jr.key(0))
s.C_h.block_until_ready()
first = time.perf_counter() - t
t = time.perf_counter()
gj.dmft_solve(gj.GatedParams(g_h=4.0, alpha_z=3.0), key=jr.key(1)).C_h.block_until_ready()
print(f"sampling DMFT (g_h=4, alpha_z=3; 1000 paths x 40 iterations): first call {first:.1f} s, "
      f"second {time.perf_counter() - t:.1f} s; C_h(0) = {float(s.C_h[0]):.4f}")
