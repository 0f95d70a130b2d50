import numpy as np

from gatedjax._cli import main


def test_demo_writes_trajectory_and_figures(tmp_path, capsys):
    out = tmp_path / "demo"
    rc = main(["demo", "--n", "40", "--t1", "20", "--save-every", "2", "--g-h", "2.5",
               "--alpha-z", "1.0", "--seed", "3", "--dtype", "float64", "--out", str(out),
               "--no-progress", "--no-dmft"])  # the DMFT panel is tested via `gatedjax dmft`
    assert rc == 0
    printed = capsys.readouterr().out
    with np.load(out / "trajectory.npz") as data:
        assert data["ys"].shape == (11, 3, 40) and data["ys"].dtype == np.float64
        np.testing.assert_allclose(data["ts"], np.arange(0, 21, 2.0))
    for name in ("trajectory.npz", "traces.png", "histograms.png", "population.png",
                 "spectrum.png", "lyapunov.png"):
        assert (out / name).stat().st_size > 0
        assert str(out / name) in printed


def test_bad_flag_value_is_a_clean_error(tmp_path, capsys):
    rc = main(["demo", "--n", "10", "--tau-z", "-1", "--out", str(tmp_path), "--no-progress"])
    assert rc == 2
    assert "tau_z" in capsys.readouterr().err


def test_spectrum_subcommand(tmp_path, capsys):
    out = tmp_path / "spec"
    rc = main(["spectrum", "--n", "60", "--g-h", "1.5", "--beta-h", "0.5", "--alpha-z", "2",
               "--t1", "200", "--dtype", "float64", "--out", str(out)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "fixed point (stable)" in printed
    with np.load(out / "spectrum.npz") as data:
        ev = data["eigenvalues"]
        assert ev.shape == (180,)
        # at a fixed point: exactly n eigenvalues at -1/tau_z = -1 (here tau_z = tau_r = 1 and
        # alpha_r = 0, so 2n of them)
        assert np.sum(np.abs(ev + 1.0) < 1e-7) == 120
        assert float(data["measured_edge"]) < 0
    assert (out / "spectrum.png").stat().st_size > 0


def test_lyapunov_subcommand_sum_rule(tmp_path, capsys):
    out = tmp_path / "ly"
    rc = main(["lyapunov", "--n", "6", "--g-h", "3", "--alpha-z", "1", "--t1", "100",
               "--t-transient", "20", "--dtype", "float64", "--out", str(out), "--no-progress"])
    assert rc == 0
    assert "sum rule" in capsys.readouterr().out
    with np.load(out / "lyapunov.npz") as data:
        lam = data["exponents"]
        assert lam.shape == (18,) and np.all(np.diff(lam) <= 0)
        np.testing.assert_allclose(lam.sum(), float(data["mean_trace"]), rtol=1e-5)
    assert (out / "lyapunov.png").stat().st_size > 0


def test_dmft_subcommand(tmp_path, capsys):
    out = tmp_path / "dm"
    rc = main(["dmft", "--n", "200", "--g-h", "4", "--t1", "150", "--t-discard", "50",
               "--out", str(out), "--no-progress"])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "lambda_max" in printed and "static mean-field roots" in printed
    with np.load(out / "dmft.npz") as data:
        # exact constant-gate DMFT at g_h = 4: C_h(0) = 0.1203 (see test_dmft.py)
        np.testing.assert_allclose(data["C_h"][0], 0.1203, atol=1e-3)
        assert data["C_sim"].shape[0] == 3
    assert (out / "dmft.png").stat().st_size > 0
