"""Matplotlib plots of gatedjax results (imported on demand: `import gatedjax.plotting`).

Each function draws on a given `ax` (or a new one), returns the artists it made and computes
nothing beyond the gate values it displays.
"""

import matplotlib.pyplot as plt
import numpy as np

from ._model import GatedParams, gates
from ._solution import Solution

_NAMES = ("h", "z", "r")


def _ax(ax):
    return plt.subplots()[1] if ax is None else ax


def plot_traces(sol: Solution, *, var: str = "h", units=range(5), ax=None):
    """Time series of a few units' `var` (`"h"`, `"z"` or `"r"`) against `sol.ts`."""
    if var not in _NAMES:
        raise ValueError(f"`var` must be one of {_NAMES}, got {var!r}.")
    ax = _ax(ax)
    ts = np.asarray(sol.ts)
    ys = np.asarray(sol.ys)[:, _NAMES.index(var)]
    lines = [ax.plot(ts, ys[:, i], lw=1, label=f"unit {i}")[0] for i in units]
    ax.set_xlabel("t")
    ax.set_ylabel(f"${var}_i(t)$")
    return lines


def plot_histograms(sol: Solution, params: GatedParams, *, axes=None, bins: int = 60):
    """Histograms over units and saved times of `h, z, r` and of the gates `σ_z(z), σ_r(r)`.

    `axes`: five matplotlib axes (default: a new 1 x 5 figure). Returns the five bar containers.
    """
    if axes is None:
        axes = plt.subplots(1, 5, figsize=(16, 3), constrained_layout=True)[1]
    ys = np.asarray(sol.ys)
    sz, sr = gates(params.astype(sol.ys.dtype), np.moveaxis(sol.ys, -2, 0))
    data = [ys[:, 0], ys[:, 1], ys[:, 2], np.asarray(sz), np.asarray(sr)]
    labels = ["$h$", "$z$", "$r$", r"$\sigma_z(z)$", r"$\sigma_r(r)$"]
    out = []
    for ax, values, label in zip(axes, data, labels):
        out.append(ax.hist(values.ravel(), bins=bins, density=True, color="C0", alpha=0.8)[2])
        ax.set_xlabel(label)
    axes[0].set_ylabel("density")
    return out


def plot_population_stats(sol: Solution, *, ax=None):
    """Population mean (solid) and standard deviation (dashed) of `h, z, r` over time."""
    ax = _ax(ax)
    ts = np.asarray(sol.ts)
    ys = np.asarray(sol.ys)
    artists = []
    for k, name in enumerate(_NAMES):
        artists += ax.plot(ts, ys[:, k].mean(-1), color=f"C{k}", label=f"mean {name}")
        artists += ax.plot(ts, ys[:, k].std(-1), color=f"C{k}", ls="--", label=f"std {name}")
    ax.set_xlabel("t")
    ax.legend(ncol=3, fontsize="small")
    return artists


def plot_spectrum(eigenvalues, *, boundary=None, ax=None, s: float = 4.0):
    """Eigenvalues in the complex plane, with an optional predicted support `boundary`
    (complex points, e.g. from [`gatedjax.support_boundary`][]) drawn as a closed curve."""
    ax = _ax(ax)
    ev = np.asarray(eigenvalues).ravel()
    artists = [ax.scatter(ev.real, ev.imag, s=s, color="k", alpha=0.6, lw=0, label="eigenvalues")]
    if boundary is not None:
        b = np.asarray(boundary)
        b = np.append(b, b[:1])
        artists += ax.plot(b.real, b.imag, color="C3", lw=1.5, label="theory: F(λ) = 1")
    ax.axvline(0.0, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel(r"Re $\lambda$")
    ax.set_ylabel(r"Im $\lambda$")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(fontsize="small", loc="upper left")
    return artists


def plot_near_zero_density(alpha_z, measured, predicted=None, *, eps=None, ax=None):
    """Fraction of eigenvalues near zero against `alpha_z` (measured dots, predicted line)."""
    ax = _ax(ax)
    artists = ax.plot(np.asarray(alpha_z), np.asarray(measured), "o", color="k", label="measured")
    if predicted is not None:
        artists += ax.plot(np.asarray(alpha_z), np.asarray(predicted), "-", color="C3",
                           label="predicted (frozen units)")
    ax.set_xlabel(r"$\alpha_z$")
    label = "fraction of eigenvalues" + (f" with |λ| < {eps:g}" if eps is not None else " near 0")
    ax.set_ylabel(label)
    ax.legend(fontsize="small")
    return artists


def plot_lyapunov_spectrum(sol, *, ax=None, fraction: bool = False, **kwargs):
    """Exponents against their index (or index / k with `fraction=True`), with standard errors.

    `sol`: a [`gatedjax.LyapunovSolution`][]."""
    ax = _ax(ax)
    lam = np.asarray(sol.exponents)
    idx = np.arange(1, lam.size + 1)
    x = idx / lam.size if fraction else idx
    artists = [ax.errorbar(x, lam, yerr=np.asarray(sol.stderr), fmt="o", ms=3, **kwargs)]
    ax.axhline(0.0, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel("i / k" if fraction else "index i")
    ax.set_ylabel(r"$\lambda_i$")
    return artists


def plot_lyapunov_convergence(sol, *, ax=None, n_show: int = 5):
    """Running estimates of the first `n_show` exponents against averaging time."""
    ax = _ax(ax)
    t = np.asarray(sol.times)
    hist = np.asarray(sol.history)
    artists = []
    for i in range(min(n_show, hist.shape[1])):
        artists += ax.plot(t, hist[:, i], lw=1, label=rf"$\lambda_{{{i + 1}}}$")
    ax.set_xlabel("averaging time")
    ax.set_ylabel("running estimate")
    ax.legend(fontsize="small", ncol=2)
    return artists


def plot_autocorrelation(tau, C_theory, lags=None, C_sim=None, *, label: str = "h", ax=None):
    """A mean-field autocorrelation (line) with a simulated one overlaid (dots)."""
    ax = _ax(ax)
    artists = ax.plot(np.asarray(tau), np.asarray(C_theory), color="C3", lw=2,
                      label=f"DMFT $C_{label}$")
    if C_sim is not None:
        step = max(1, len(np.asarray(lags)) // 60)
        artists += ax.plot(np.asarray(lags)[::step], np.asarray(C_sim)[::step], "o", ms=3,
                           color="k", label=f"simulation $C_{label}$")
    ax.set_xlabel(r"lag $\tau$")
    ax.set_ylabel(rf"$C_{label}(\tau)$")
    ax.legend(fontsize="small")
    return artists
