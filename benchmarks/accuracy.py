"""Accuracy checks quoted in the issue notes (numbers, not timings):

1. random-matrix prediction vs measured Jacobian spectrum at fixed points, N = 400;
2. the Lorenz-63 Lyapunov spectrum and the sum-rule error of a gated network.

    python benchmarks/accuracy.py
"""

import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np

jax.config.update("jax_enable_x64", True)

import gatedjax as gj

n = 400
couplings = gj.sample_couplings(jr.key(1), n)
print(f"1. spectral edge and radius at a fixed point, N = {n}, tau_z = 0.5, tau_r = 0.7")
print(f"{'g_h':>4} {'a_z':>4} {'a_r':>4} {'b_h':>4} {'R0':>6} {'edge pred':>10} {'edge meas':>10}"
      f" {'radius pred':>11} {'radius meas':>11}")
for g, az, ar, bh in [(1.5, 0, 0, 0.5), (1.5, 5, 0, 0.5), (2.0, 2, 2, 0.5), (3.0, 0, 0, 0.0),
                      (2.5, 3, 3, 0.3)]:
    p = gj.GatedParams(g_h=g, alpha_z=az, alpha_r=ar, beta_h=bh, tau_z=0.5, tau_r=0.7)
    traj = gj.simulate(p, couplings, jr.normal(jr.key(2), (3, n)), t1=200.0,
                       ts=jnp.linspace(100.0, 200.0, 4))
    fp = gj.find_fixed_points(p, couplings, traj.ys, max_steps=100)
    if not fp.n_unique:
        print(f"{g:4} {az:4} {ar:4} {bh:4}  no fixed point found")
        continue
    y = jnp.asarray(fp.unique[0])
    ev = np.asarray(gj.jacobian_spectrum(p, couplings, y))
    h = ev[(np.abs(ev + 2.0) > 1e-6) & (np.abs(ev + 1 / 0.7) > 1e-6)]
    print(f"{g:4} {az:4} {ar:4} {bh:4} {float(gj.stability_index(p, couplings, y)):6.3f} "
          f"{float(gj.spectral_edge(p, couplings, y)):10.4f} {ev.real.max():10.4f} "
          f"{np.abs(gj.support_boundary(p, couplings, y)).max():11.3f} {np.abs(h).max():11.3f}")

lorenz = lambda t, y, a: jnp.stack([10 * (y[1] - y[0]), y[0] * (28 - y[2]) - y[1],
                                    y[0] * y[1] - 8 / 3 * y[2]])
ly = gj.lyapunov_spectrum(lorenz, jnp.ones(3), None, k=3, t1=2000.0, t_transient=50.0,
                          reortho_every=0.5)
print(f"\n2. Lorenz-63 (T = 2000): {np.asarray(ly.exponents).round(4).tolist()} "
      f"± {np.asarray(ly.stderr).round(4).tolist()}; sum {float(ly.exponents.sum()):.6f} "
      f"(exact -13.666667); D_KY {float(ly.kaplan_yorke):.3f}")
params = gj.GatedParams(g_h=3.0, alpha_z=1.5, alpha_r=1.0, beta_h=0.1, tau_z=2.0)
c = gj.sample_couplings(jr.key(0), 30)
ly = gj.gated_lyapunov_spectrum(params, c, gj.sample_state(jr.key(1), 30), k=90, t1=500.0,
                                t_transient=100.0)
s, tr = float(ly.exponents.sum()), float(ly.mean_trace)
print(f"   gated N = 30, full spectrum (90), T = 500: sum {s:.8f}, time-averaged trace {tr:.8f}, "
      f"relative error {abs(s - tr) / abs(tr):.1e}; lambda_1 {float(ly.exponents[0]):.4f}")
