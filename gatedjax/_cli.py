"""The `gatedjax` command line (`gatedjax demo`, ...; also `python -m gatedjax`)."""

import argparse
import json
import sys
import time
from pathlib import Path


def _add_model_flags(p: argparse.ArgumentParser, *, n: int, g_h: float) -> None:
    g = p.add_argument_group("network")
    g.add_argument("--n", type=int, default=n, help="number of units N (default %(default)s)")
    g.add_argument("--g-h", type=float, default=g_h, help="gain g_h of phi (default %(default)s)")
    for name, default in (("alpha-z", 0.0), ("alpha-r", 0.0), ("beta-h", 0.0), ("beta-z", 0.0),
                          ("beta-r", 0.0), ("tau-z", 1.0), ("tau-r", 1.0)):
        g.add_argument(f"--{name}", type=float, default=default, help="(default %(default)s)")
    g.add_argument("--seed", type=int, default=0, help="PRNG seed for couplings and y0")
    g.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    g.add_argument("--out", type=Path, default=Path("gatedjax-demo"), help="output folder")


def _setup(args):
    """Set up the network. The CLI is an application, so it may set JAX config: x64 is enabled
    so that mean-field and fixed-point computations run in float64, while the simulation
    itself runs in the requested `--dtype` (its arrays are created with it explicitly)."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import jax.random as jr

    import gatedjax as gj

    dtype = jnp.float64 if args.dtype == "float64" else jnp.float32
    params = gj.GatedParams(
        g_h=args.g_h, alpha_z=args.alpha_z, alpha_r=args.alpha_r, beta_h=args.beta_h,
        beta_z=args.beta_z, beta_r=args.beta_r, tau_z=args.tau_z, tau_r=args.tau_r,
    )
    k_couplings, k_state = jr.split(jr.key(args.seed))
    couplings = gj.sample_couplings(k_couplings, args.n, dtype=dtype)
    y0 = gj.sample_state(k_state, args.n, dtype=dtype)
    args.out.mkdir(parents=True, exist_ok=True)
    return params, couplings, y0


def _params_dict(params) -> dict:
    import numpy as np

    return {k: np.asarray(v).tolist() for k, v in vars(params).items()}


def _savefig(fig, path: Path, written: list) -> None:
    fig.savefig(path, dpi=120)
    written.append(path)


def cmd_demo(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    import gatedjax as gj
    import gatedjax.plotting as gplt

    params, couplings, y0 = _setup(args)
    print(f"gatedjax demo: N={args.n}, {_params_dict(params)}, T={args.t1}, dtype={args.dtype}")
    start = time.perf_counter()
    sol = gj.simulate(params, couplings, y0, t1=args.t1, save_every=args.save_every,
                      t_discard=args.t_discard, progress=not args.no_progress)
    sol.ys.block_until_ready()
    elapsed = time.perf_counter() - start
    stats = {k: int(v) for k, v in sol.stats.items()}
    print(f"simulated in {elapsed:.2f} s (including compilation); solver steps: {stats}")
    written = []
    path = args.out / "trajectory.npz"
    np.savez_compressed(path, ts=np.asarray(sol.ts), ys=np.asarray(sol.ys),
                        params=json.dumps(_params_dict(params)), seed=args.seed)
    written.append(path)

    fig, axes = plt.subplots(3, 1, figsize=(9, 7), sharex=True, constrained_layout=True)
    for ax, var in zip(axes, ("h", "z", "r")):
        gplt.plot_traces(sol, var=var, ax=ax)
    _savefig(fig, args.out / "traces.png", written)
    fig = plt.figure(figsize=(16, 3), constrained_layout=True)
    gplt.plot_histograms(sol, params, axes=fig.subplots(1, 5))
    _savefig(fig, args.out / "histograms.png", written)
    fig, ax = plt.subplots(figsize=(8, 3.5), constrained_layout=True)
    gplt.plot_population_stats(sol, ax=ax)
    _savefig(fig, args.out / "population.png", written)
    if not args.no_spectrum:
        spec = _spectrum_at(params, couplings, sol.ys[-1])
        print(f"spectrum at the final state: {_spectrum_summary(spec)}")
        _spectrum_figure(spec, args.out / "spectrum.png", written, title="final state")
    if not args.no_dmft:
        _dmft_panel(args, params, sol, written)
    if not args.no_lyapunov:
        print("Lyapunov exponents (10 leading, T = 100 from the final state) ...")
        ly = gj.gated_lyapunov_spectrum(params, couplings, sol.ys[-1], k=min(10, 3 * args.n),
                                        t1=100.0, t_ortho_transient=20.0,
                                        progress=not args.no_progress)
        print(f"  {_lyapunov_summary(ly)}")
        _lyapunov_figure(ly, args.out / "lyapunov.png", written)
    _report(written)
    return 0


def _dmft_theory(params, key):
    """Mean-field autocorrelations: exact for constant gates, by sampling otherwise."""
    import gatedjax as gj

    if float(params.alpha_z) == 0 and float(params.alpha_r) == 0:
        sol = gj.classic_dmft(params, tau_max=40.0, n_tau=801, throw=False)
        extra = {"lambda_max": float(gj.lyapunov_dmft(sol, params))}
        return sol.tau, sol.C_h, sol.result, extra
    sol = gj.dmft_solve(params, key=key, throw=False)
    return sol.tau, sol.C_h, sol.result, {}


def _dmft_panel(args, params, sim, written) -> dict:
    import jax.random as jr
    import matplotlib.pyplot as plt

    import gatedjax as gj
    import gatedjax.plotting as gplt

    tau, C_h, result, extra = _dmft_theory(params, jr.key(args.seed + 1))
    dt = float(sim.ts[1] - sim.ts[0])
    max_lag = min(int(round(40.0 / dt)) + 1, sim.ts.shape[0] - 1)
    lags, C = gj.population_autocorrelation(sim, max_lag=max_lag)
    ok = result == gj.RESULTS.successful
    line = (f"DMFT: C_h(0) = {float(C_h[0]):.4f} (simulation {float(C[0, 0]):.4f}); "
            f"correlation time {float(gj.correlation_time(tau, C_h)):.2f} "
            f"(simulation {float(gj.correlation_time(lags, C[0])):.2f})")
    if "lambda_max" in extra:
        line += f"; lambda_max = {extra['lambda_max']:.4f}"
    if not ok:
        line += f"  [solver: {gj.RESULTS[result]}]"
    print(line)
    fig, ax = plt.subplots(figsize=(7, 4), constrained_layout=True)
    gplt.plot_autocorrelation(tau, C_h, lags, C[0], ax=ax)
    _savefig(fig, args.out / "dmft.png", written)
    return {"tau": tau, "C_h": C_h, "lags": lags, "C_sim": C, **extra}


def cmd_dmft(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import json as _json

    import numpy as np

    import gatedjax as gj

    params, couplings, y0 = _setup(args)
    sim = gj.simulate(params, couplings, y0, t1=args.t1, save_every=0.25,
                      t_discard=args.t_discard, progress=not args.no_progress)
    written = []
    out = _dmft_panel(args, params, sim, written)
    roots, count = gj.static_roots(params)
    print(f"static mean-field roots Delta_h: {np.asarray(roots)[: int(count)].round(6).tolist()}")
    path = args.out / "dmft.npz"
    np.savez_compressed(path, **{k: np.asarray(v) for k, v in out.items()},
                        static_roots=np.asarray(roots), params=_json.dumps(_params_dict(params)))
    written.insert(0, path)
    _report(written)
    return 0


def _lyapunov_summary(ly) -> str:
    import numpy as np

    lam = np.asarray(ly.exponents)
    head = ", ".join(f"{x:.4f}" for x in lam[:5])
    return (f"lambda = [{head}{', ...' if lam.size > 5 else ''}] (s.e. of lambda_1 "
            f"{float(ly.stderr[0]):.1e}); Kaplan-Yorke dimension {float(ly.kaplan_yorke):.2f}; "
            f"entropy rate {float(ly.entropy):.4f}")


def _lyapunov_figure(ly, path, written) -> None:
    import matplotlib.pyplot as plt

    import gatedjax.plotting as gplt

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4), constrained_layout=True)
    gplt.plot_lyapunov_spectrum(ly, ax=a)
    gplt.plot_lyapunov_convergence(ly, ax=b)
    _savefig(fig, path, written)


def cmd_lyapunov(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np

    import gatedjax as gj

    params, couplings, y0 = _setup(args)
    k = 3 * args.n if args.k is None else args.k
    kw = {} if args.dt is None else dict(solver=gj.RK4(), dt0=args.dt)
    ly = gj.gated_lyapunov_spectrum(
        params, couplings, y0, k=k, t1=args.t1, t_transient=args.t_transient,
        reortho_every=args.reortho_every, progress=not args.no_progress, **kw,
    )
    print(_lyapunov_summary(ly))
    if k == 3 * args.n:
        print(f"sum rule: sum of exponents {float(np.sum(ly.exponents)):.6f}, "
              f"time-averaged Jacobian trace {float(ly.mean_trace):.6f}")
    written = []
    path = args.out / "lyapunov.npz"
    np.savez_compressed(path, exponents=np.asarray(ly.exponents), stderr=np.asarray(ly.stderr),
                        history=np.asarray(ly.history), times=np.asarray(ly.times),
                        kaplan_yorke=float(ly.kaplan_yorke), entropy=float(ly.entropy),
                        mean_trace=float(ly.mean_trace),
                        params=json.dumps(_params_dict(params)))
    written.append(path)
    _lyapunov_figure(ly, args.out / "lyapunov.png", written)
    _report(written)
    return 0


def _report(written) -> None:
    print("wrote:")
    for p in written:
        print(f"  {p}")


def _spectrum_at(params, couplings, y) -> dict:
    import numpy as np

    import gatedjax as gj

    ev = gj.jacobian_spectrum(params, couplings, y)
    return {
        "eigenvalues": np.asarray(ev),
        "boundary": np.asarray(gj.support_boundary(params, couplings, y)),
        "predicted_edge": float(gj.spectral_edge(params, couplings, y)),
        "measured_edge": float(np.max(ev.real)),
        "R0": float(gj.stability_index(params, couplings, y)),
        "state": np.asarray(y),
    }


def _spectrum_summary(spec) -> str:
    import numpy as np

    return (f"rightmost eigenvalue {spec['measured_edge']:.4f} (predicted edge "
            f"{spec['predicted_edge']:.4f}); spectral radius {np.abs(spec['eigenvalues']).max():.3f} "
            f"(predicted h-support {np.abs(spec['boundary']).max():.3f}); F(0) = {spec['R0']:.3f}")


def _spectrum_figure(spec, path, written, *, title) -> None:
    import matplotlib.pyplot as plt

    import gatedjax.plotting as gplt

    fig, ax = plt.subplots(figsize=(6, 5), constrained_layout=True)
    gplt.plot_spectrum(spec["eigenvalues"], boundary=spec["boundary"], ax=ax)
    ax.set_title(f"Jacobian spectrum at {title}")
    _savefig(fig, path, written)


def cmd_spectrum(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import jax.numpy as jnp
    import numpy as np

    import gatedjax as gj

    params, couplings, y0 = _setup(args)
    sol = gj.simulate(params, couplings, y0, t1=args.t1,
                      ts=jnp.linspace(0.5 * args.t1, args.t1, 8, dtype=y0.dtype))
    where = "final state of the trajectory"
    y = sol.ys[-1]
    if args.at == "fixed-point":
        fp = gj.find_fixed_points(params, couplings, sol.ys)
        print(f"fixed points: {fp.n_unique} distinct from 8 trajectory starts, "
              f"stability {list(fp.stability)}")
        if fp.n_unique:
            y = jnp.asarray(fp.unique[0], y0.dtype)
            where = f"fixed point ({fp.stability[0]})"
        else:
            print("no fixed point converged: using the trajectory's final state instead")
    spec = _spectrum_at(params, couplings, y)
    print(f"spectrum at the {where}: {_spectrum_summary(spec)}")
    written = []
    path = args.out / "spectrum.npz"
    np.savez_compressed(path, **spec, params=json.dumps(_params_dict(params)), where=where)
    written.append(path)
    _spectrum_figure(spec, args.out / "spectrum.png", written, title=where)
    _report(written)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gatedjax", description="Simulate and analyse random gated recurrent networks."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="simulate the seed's quick example and plot it")
    _add_model_flags(demo, n=1000, g_h=3.0)
    demo.add_argument("--t1", type=float, default=400.0, help="duration (default %(default)s)")
    demo.add_argument("--save-every", type=float, default=1.0)
    demo.add_argument("--t-discard", type=float, default=0.0)
    demo.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    demo.add_argument("--no-spectrum", action="store_true", help="skip the Jacobian spectrum")
    demo.add_argument("--no-lyapunov", action="store_true", help="skip the Lyapunov exponents")
    demo.add_argument("--no-dmft", action="store_true", help="skip the mean-field prediction")
    demo.set_defaults(func=cmd_demo)

    spectrum = sub.add_parser("spectrum", help="Jacobian spectrum with the predicted support")
    _add_model_flags(spectrum, n=300, g_h=3.0)
    spectrum.add_argument("--t1", type=float, default=200.0, help="transient before analysis")
    spectrum.add_argument("--at", choices=("fixed-point", "trajectory"), default="fixed-point",
                          help="linearise at a fixed point (found from the trajectory) or at "
                          "the trajectory's final state")
    spectrum.set_defaults(func=cmd_spectrum)

    lyap = sub.add_parser("lyapunov", help="Lyapunov spectrum (Benettin/QR)")
    _add_model_flags(lyap, n=100, g_h=4.0)
    lyap.add_argument("--k", type=int, default=None, help="number of exponents (default 3N)")
    lyap.add_argument("--t1", type=float, default=500.0, help="averaging time")
    lyap.add_argument("--t-transient", type=float, default=100.0)
    lyap.add_argument("--reortho-every", type=float, default=1.0)
    lyap.add_argument("--dt", type=float, default=None,
                      help="fixed RK4 step (default: adaptive Tsit5)")
    lyap.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    lyap.set_defaults(func=cmd_lyapunov)

    dmft = sub.add_parser("dmft", help="mean-field autocorrelations vs a simulation")
    _add_model_flags(dmft, n=1000, g_h=4.0)
    dmft.add_argument("--t1", type=float, default=600.0, help="simulated duration")
    dmft.add_argument("--t-discard", type=float, default=100.0)
    dmft.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    dmft.set_defaults(func=cmd_dmft)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ValueError as e:
        print(f"gatedjax {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
