"""Seed quick example (N = 1000, g_h = 3, T = 400, samples every 1.0), side by side:

gatedjax (adaptive Tsit5 default; fixed-step RK4 at dt = 0.1) vs a PyTorch fixed-step loop
written as the seed describes it (Euler and RK4 at dt = 0.1, CPU) vs SciPy solve_ivp (RK45).
Each in float32 and float64 (SciPy float64 only). Accuracy: state at T = 20 against a float64 DOP853
reference at rtol = atol = 1e-12 (max abs error over the 3N components).

    python benchmarks/simulate.py [--repeats 5] [--n 1000] [--t1 400]
"""

import argparse
import time

import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np
from scipy.integrate import solve_ivp

jax.config.update("jax_enable_x64", True)  # the benchmark needs the float64 reference too

from _common import machine, time_jax, time_plain

import gatedjax as gj

p = argparse.ArgumentParser()
p.add_argument("--n", type=int, default=1000)
p.add_argument("--t1", type=float, default=400.0)
p.add_argument("--repeats", type=int, default=5)
args = p.parse_args()
N, T1, R = args.n, args.t1, args.repeats
T_ACC = 20.0

kJ, ky = jr.split(jr.key(0))
J64 = gj.sample_couplings(kJ, N, dtype=jnp.float64)
y064 = gj.sample_state(ky, N, dtype=jnp.float64)
J32 = J64.astype(jnp.float32)
y032 = y064.astype(jnp.float32)
params = gj.GatedParams(g_h=3.0)
Jh, Jz, Jr = (np.asarray(J) for J in (J64.J_h, J64.J_z, J64.J_r))
y0np = np.asarray(y064)


def f_np(t, y):
    h, z, r = y.reshape(3, N)
    ph = np.tanh(3.0 * h)
    return np.concatenate([0.5 * (-h + Jh @ (0.5 * ph)), -z + Jz @ ph, -r + Jr @ ph])


t = time.perf_counter()
ref = solve_ivp(f_np, (0, T_ACC), y0np.ravel(), method="DOP853", rtol=1e-12, atol=1e-12).y[:, -1]
print(f"reference (DOP853, f64, 1e-12) to T={T_ACC}: {time.perf_counter() - t:.1f} s")


y32np = np.asarray(y064.astype(jnp.float32), np.float64)
Jr32 = [np.asarray(J, np.float64) for J in (J32.J_h, J32.J_z, J32.J_r)]


def f_np32(t, y):  # the same field with the float32-rounded couplings
    h, z, r = y.reshape(3, N)
    ph = np.tanh(3.0 * h)
    return np.concatenate([0.5 * (-h + Jr32[0] @ (0.5 * ph)), -z + Jr32[1] @ ph,
                           -r + Jr32[2] @ ph])


ref32 = solve_ivp(f_np32, (0, T_ACC), y32np.ravel(), method="DOP853", rtol=1e-12,
                  atol=1e-12).y[:, -1]
print(f"rounding couplings and y0 to float32 alone moves the T={T_ACC} state by "
      f"{np.max(np.abs(ref32 - ref)):.1e} (the floor for any float32 run)")


def err(y):
    return float(np.max(np.abs(np.asarray(y, np.float64).ravel() - ref)))


rows = []


def jax_rows(dtype):
    J, y0 = J64.astype(dtype), y064.astype(dtype)
    name = jnp.dtype(dtype).name
    for label, kw in ((f"gatedjax Tsit5 adaptive (default) {name}", {}),
                      (f"gatedjax RK4 fixed dt=0.1 {name}", dict(solver=gj.RK4(), dt0=0.1))):
        fn = lambda: gj.simulate(params, J, y0, t1=T1, save_every=1.0, **kw).ys
        compile_s, run_s, _ = time_jax(fn, R)
        sol = gj.simulate(params, J, y0, t1=T1, save_every=1.0, **kw)
        acc = err(gj.simulate(params, J, y0, t1=T_ACC, **kw).ys[-1])
        rows.append((label, compile_s, run_s, acc, int(sol.stats["num_steps"])))


def torch_rows(tdtype):
    import torch

    torch.set_grad_enabled(False)
    tJ = torch.tensor(np.stack([Jh, Jz, Jr]), dtype=tdtype)
    tx0 = torch.tensor(y0np, dtype=tdtype)
    gains, biases, taus = [3.0, 0.0, 0.0], [0.0, 0.0, 0.0], [1.0, 1.0]

    def torch_field(x):
        h, z, r = x[0], x[1], x[2]
        ph = torch.tanh(gains[0] * h + biases[0])
        sz = torch.sigmoid(gains[1] * z - biases[1])
        sr = torch.sigmoid(gains[2] * r - biases[2])
        dh = sz * (-h + tJ[0] @ (ph * sr))
        dz = (-z + tJ[1] @ ph) / taus[0]
        dr = (-r + tJ[2] @ ph) / taus[1]
        return torch.stack([dh, dz, dr])

    def euler(x, dt):
        return x + dt * torch_field(x)

    def rk4(x, dt):
        k1 = torch_field(x)
        k2 = torch_field(x + 0.5 * dt * k1)
        k3 = torch_field(x + 0.5 * dt * k2)
        k4 = torch_field(x + dt * k3)
        return x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)

    def torch_run(step, t1, dt=0.1, dt_samples=1.0):
        n_samples = int(round(t1 / dt_samples)) + 1
        per = int(round(dt_samples / dt))
        X = torch.zeros(3, n_samples, N, dtype=tdtype)
        x = tx0.clone()
        X[:, 0] = x
        for s in range(1, n_samples):
            for _ in range(per):
                x = step(x, dt)
            X[:, s] = x
        return X

    name = str(tdtype).split(".")[-1]
    for label, step in ((f"PyTorch Euler dt=0.1 {name}", euler), (f"PyTorch RK4 dt=0.1 {name}", rk4)):
        run_s, _, _ = time_plain(lambda: torch_run(step, T1), max(1, R // 2))
        acc = err(torch_run(step, T_ACC)[:, -1].numpy())
        rows.append((label, 0.0, run_s, acc, int(T1 / 0.1)))


try:
    import torch
except ImportError:
    torch = None
    print("torch not installed (pip install torch==2.13.0): skipping the PyTorch rows")
for dtype in (jnp.float32, jnp.float64):
    jax_rows(dtype)
    if torch is not None:
        torch_rows(torch.float32 if dtype == jnp.float32 else torch.float64)

# ---------------------------------------------------------------- SciPy
ts = np.arange(0, T1 + 1e-9, 1.0)
run_s, _, out = time_plain(
    lambda: solve_ivp(f_np, (0, T1), y0np.ravel(), method="RK45", t_eval=ts, rtol=1e-7,
                      atol=1e-7), 1)
acc = err(solve_ivp(f_np, (0, T_ACC), y0np.ravel(), rtol=1e-7, atol=1e-7).y[:, -1])
rows.append(("SciPy solve_ivp RK45 rtol=atol=1e-7 float64", 0.0, run_s, acc, int(out.nfev)))

# ---------------------------------------------------------------- vector field vs bare matvecs
K = 200


@jax.jit
def chain_field(y):
    return jax.lax.fori_loop(0, K, lambda i, y: y + 1e-3 * gj.vector_field(0.0, y, (params, J32)), y)


@jax.jit
def chain_matvec(y):
    def body(i, y):
        v = y[0]
        return y + 1e-3 * jnp.stack([J32.J_h @ v, J32.J_z @ v, J32.J_r @ v])
    return jax.lax.fori_loop(0, K, body, y)


_, t_field, _ = time_jax(lambda: chain_field(y032), 3 * R)
_, t_mv, _ = time_jax(lambda: chain_matvec(y032), 3 * R)

print(f"\nmachine: {machine()}; N={N}, T={T1}, samples every 1.0")
print(f"{'method':48s} {'compile s':>9s} {'run s':>8s} {'err@T=20':>9s} {'steps':>6s} "
      f"{'torch RK4 / this':>16s}")
for label, c, rs, acc, steps in rows:
    prec = label.split()[-1]
    torch_rk4 = next((r for r in rows if r[0] == f"PyTorch RK4 dt=0.1 {prec}"), None)
    ratio = f"{torch_rk4[2] / rs:.1f}x" if torch_rk4 else "-"
    print(f"{label:48s} {c:9.2f} {rs:8.3f} {acc:9.1e} {steps:6d} {ratio:>16s}")
print(f"\none vector-field evaluation: {t_field / K * 1e6:.0f} us; its 3 bare matvecs: "
      f"{t_mv / K * 1e6:.0f} us; ratio {t_field / t_mv:.2f} (float32)")
