"""Lyapunov spectra, gatedjax vs a NumPy implementation of the same algorithm, side by side.

Both: fixed-step classical RK4 at dt = 0.05 on the joint (state, tangent frame) system,
QR re-orthonormalisation every 1.0, the same starting state and the same initial frame, float64.
The NumPy version applies the analytic block Jacobian matrix-free (the fastest way to write it
in NumPy); gatedjax uses JVPs vmapped over the k tangent vectors. Cases: the full spectrum at
N = 100 (300 exponents) and the 10 leading exponents at N = 1000.

    python benchmarks/lyapunov.py [--t1 50] [--repeats 3]
"""

import argparse

import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np

jax.config.update("jax_enable_x64", True)

from _common import machine, time_jax, time_plain

import gatedjax as gj

p = argparse.ArgumentParser()
p.add_argument("--t1", type=float, default=50.0)
p.add_argument("--repeats", type=int, default=3)
args = p.parse_args()
DT, DELTA, T1, R = 0.05, 1.0, args.t1, args.repeats
PARAMS = dict(g_h=3.0, alpha_z=1.0, alpha_r=1.0, beta_h=0.1, beta_z=0.0, beta_r=0.0,
              tau_z=2.0, tau_r=1.0)


def numpy_lyapunov(y, Q, Jh, Jz, Jr, n_int):
    p = PARAMS
    sig = lambda x: 1 / (1 + np.exp(-x))

    def field(y, Q):
        h, z, r = y
        ph = np.tanh(p["g_h"] * h + p["beta_h"])
        dph = p["g_h"] * (1 - ph**2)
        sz, sr = sig(p["alpha_z"] * z - p["beta_z"]), sig(p["alpha_r"] * r - p["beta_r"])
        dsz, dsr = p["alpha_z"] * sz * (1 - sz), p["alpha_r"] * sr * (1 - sr)
        eta = Jh @ (ph * sr)
        f = np.stack([sz * (eta - h), (Jz @ ph - z) / p["tau_z"], (Jr @ ph - r) / p["tau_r"]])
        n = h.size
        Qh, Qz, Qr = Q[:n], Q[n:2 * n], Q[2 * n:]
        dphQ = dph[:, None] * Qh
        JQh = sz[:, None] * (-Qh + Jh @ (sr[:, None] * dphQ + (ph * dsr)[:, None] * Qr)) \
            + (dsz * (eta - h))[:, None] * Qz
        JQz = (Jz @ dphQ - Qz) / p["tau_z"]
        JQr = (Jr @ dphQ - Qr) / p["tau_r"]
        return f, np.concatenate([JQh, JQz, JQr])

    steps = int(round(DELTA / DT))
    logs = []
    for _ in range(n_int):
        for _ in range(steps):
            k1 = field(y, Q)
            k2 = field(y + 0.5 * DT * k1[0], Q + 0.5 * DT * k1[1])
            k3 = field(y + 0.5 * DT * k2[0], Q + 0.5 * DT * k2[1])
            k4 = field(y + DT * k3[0], Q + DT * k3[1])
            y = y + DT / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
            Q = Q + DT / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        Q, Rm = np.linalg.qr(Q)
        logs.append(np.log(np.abs(np.diag(Rm))))
    return np.sort(np.sum(logs, axis=0) / (n_int * DELTA))[::-1]


print(f"machine: {machine()}; RK4 dt={DT}, QR every {DELTA}, T={T1}, float64")
for n, k in ((100, 300), (1000, 10)):
    couplings = gj.sample_couplings(jr.key(0), n)
    params = gj.GatedParams(**PARAMS)
    y0 = gj.simulate(params, couplings, gj.sample_state(jr.key(1), n), t1=50.0).ys[-1]
    key = jr.key(2)
    Q0 = np.asarray(jnp.linalg.qr(jr.normal(key, (3 * n, k), jnp.float64))[0])
    run = lambda: gj.gated_lyapunov_spectrum(
        params, couplings, y0, k=k, t1=T1, reortho_every=DELTA, t_ortho_transient=0.0,
        solver=gj.RK4(), dt0=DT, key=key, trace="none").exponents
    compile_s, jax_s, _ = time_jax(run, R)
    Js = [np.asarray(J) for J in (couplings.J_h, couplings.J_z, couplings.J_r)]
    np_s, _, np_lam = time_plain(
        lambda: numpy_lyapunov(np.asarray(y0), Q0, *Js, int(round(T1 / DELTA))), R)
    diff = np.max(np.abs(np.asarray(run()) - np_lam))
    print(f"N={n:5d} k={k:3d}: gatedjax compile {compile_s:.2f} s run {jax_s:.3f} s | NumPy "
          f"{np_s:.3f} s | NumPy/gatedjax {np_s / jax_s:.2f}x | max |Δλ| {diff:.1e} | "
          f"λ1 = {np_lam[0]:.4f}")
