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
