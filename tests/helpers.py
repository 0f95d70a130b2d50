"""Independent NumPy references used by the tests (no JAX, no gatedjax code)."""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_params(**kw):
    p = dict(g_h=1.0, alpha_z=0.0, alpha_r=0.0, beta_h=0.0, beta_z=0.0, beta_r=0.0,
             tau_z=1.0, tau_r=1.0)
    p.update(kw)
    return p


def np_vector_field(y, p, Jh, Jz, Jr):
    """The model written out directly from the paper's equations."""
    h, z, r = y
    ph = np.tanh(p["g_h"] * h + p["beta_h"])
    sz = 1.0 / (1.0 + np.exp(-p["alpha_z"] * z + p["beta_z"]))
    sr = 1.0 / (1.0 + np.exp(-p["alpha_r"] * r + p["beta_r"]))
    dh = sz * (-h + Jh @ (ph * sr))
    dz = (-z + Jz @ ph) / p["tau_z"]
    dr = (-r + Jr @ ph) / p["tau_r"]
    return np.stack([dh, dz, dr])


def np_jacobian_blocks(y, p, Jh, Jz, Jr):
    """The hand-derived (3n, 3n) block Jacobian (theory notes §3.1)."""
    h, z, r = y
    n = h.size
    g, az, ar = p["g_h"], p["alpha_z"], p["alpha_r"]
    ph = np.tanh(g * h + p["beta_h"])
    dph = g * (1 - ph**2)
    sz = sigmoid(az * z - p["beta_z"])
    sr = sigmoid(ar * r - p["beta_r"])
    dsz = az * sz * (1 - sz)
    dsr = ar * sr * (1 - sr)
    eta = Jh @ (ph * sr)
    I = np.eye(n)
    D = np.zeros((3 * n, 3 * n))
    D[:n, :n] = sz[:, None] * (-I + Jh * (sr * dph)[None, :])
    D[:n, n:2 * n] = np.diag(dsz * (eta - h))
    D[:n, 2 * n:] = sz[:, None] * Jh * (ph * dsr)[None, :]
    D[n:2 * n, :n] = Jz * dph[None, :] / p["tau_z"]
    D[n:2 * n, n:2 * n] = -I / p["tau_z"]
    D[2 * n:, :n] = Jr * dph[None, :] / p["tau_r"]
    D[2 * n:, 2 * n:] = -I / p["tau_r"]
    return D


def random_params_np(rng):
    """Every gain and bias non-zero, time constants away from 1."""
    return np_params(
        g_h=rng.uniform(1.5, 3.0), alpha_z=rng.uniform(0.5, 3.0), alpha_r=rng.uniform(0.5, 3.0),
        beta_h=rng.uniform(-0.5, 0.5) or 0.3, beta_z=rng.uniform(-1, 1) or 0.2,
        beta_r=rng.uniform(-1, 1) or -0.4, tau_z=rng.uniform(0.5, 3.0),
        tau_r=rng.uniform(0.5, 3.0),
    )


def couplings_np(rng, n):
    return [rng.standard_normal((n, n)) / np.sqrt(n) for _ in range(3)]
