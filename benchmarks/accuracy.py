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

print("\n3. mean-field theory vs simulation (float64)")
for kw in (dict(g_h=4.0, alpha_z=3.0), dict(g_h=3.0, alpha_r=3.0)):
    p = gj.GatedParams(**kw)
    s = gj.dmft_solve(p, key=jr.key(1))
    c0, tc = [], []
    for seed in range(2):
        traj = gj.simulate(p, gj.sample_couplings(jr.key(seed), 1000),
                           gj.sample_state(jr.key(seed + 10), 1000), t1=600.0, save_every=0.25,
                           t_discard=100.0)
        lags, C = gj.population_autocorrelation(traj, max_lag=161)
        c0.append(round(float(C[0, 0]), 4))
        tc.append(round(float(gj.correlation_time(lags, C[0])), 2))
    print(f"   {kw}: DMFT C_h(0) {float(s.C_h[0]):.4f}, correlation time "
          f"{float(gj.correlation_time(s.tau, s.C_h)):.2f} | N=1000 seeds 0,1: C_h(0) {c0}, "
          f"correlation time {tc}")
p = gj.GatedParams(g_h=4.0)
exact = gj.classic_dmft(p)
lams = []
for seed in range(2):
    ly = gj.gated_lyapunov_spectrum(p, gj.sample_couplings(jr.key(seed), 1000),
                                    gj.sample_state(jr.key(seed + 5), 1000), k=1, t1=400.0,
                                    t_transient=100.0)
    lams.append((round(float(ly.exponents[0]), 4), round(float(ly.stderr[0]), 4)))
samp = gj.dmft_solve(p, key=jr.key(0))
print(f"   g_h=4, constant gates: exact Delta0 {float(exact.delta0):.5f}, sampling solver "
      f"{float(samp.C_h[0]):.4f}; lambda_max DMFT {float(gj.lyapunov_dmft(exact, p)):.4f} vs "
      f"Benettin N=1000 (value, s.e.) {lams}")
p = gj.GatedParams(g_h=1.6, beta_h=0.5, alpha_r=2.0, beta_r=0.3, alpha_z=1.0)
st = gj.static_mft(p)
var = []
for seed in range(3):
    y = gj.simulate(p, gj.sample_couplings(jr.key(seed), 2000),
                    gj.sample_state(jr.key(seed + 1), 2000), t1=300.0).ys[-1]
    var.append(np.asarray(y).var(axis=1).round(4).tolist())
print(f"   static: Delta_h, Delta_z {float(st.delta_h):.4f}, {float(st.delta_z):.4f}, R0 "
      f"{float(st.R0):.3f} | N=2000 population variances (h, z, r), 3 seeds: {var}")
tops = [round(float(gj.topological_threshold(gj.GatedParams(alpha_r=a))[0]), 3)
        for a in (4, 10, 100, 1000)]
print(f"   topological threshold g_h at alpha_r = 4, 10, 100, 1000: {tops} (sqrt 2 = 1.414)")
