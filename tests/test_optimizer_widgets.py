"""The explorers of notebooks 08 and 09: optimizer_race and generalization_explorer.

Headless, like nbval: setting a control's ``.value`` re-renders synchronously,
so each test changes a control and checks what the picture's artists hold,
the PNG bytes and the status line.
"""

import io
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from backprop_lessons.optim import SGD, Adam, Momentum  # noqa: E402
from backprop_lessons.surfaces import SURFACES, run_optimizer  # noqa: E402
from backprop_lessons.widgets import generalization as gen  # noqa: E402
from backprop_lessons.widgets.generalization import generalization_explorer  # noqa: E402
from backprop_lessons.widgets.optimizers import RACERS, optimizer_race  # noqa: E402

# Every warning the course raises is an error. A DeprecationWarning that a library raises inside
# matplotlib (older matplotlib + newer pyparsing: "'parseString' deprecated") is not ours, and a
# learner never sees it (Python hides DeprecationWarnings raised outside __main__).
pytestmark = pytest.mark.filterwarnings("error", "ignore::DeprecationWarning:(matplotlib|pyparsing)")


def _png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        return im.size


@pytest.fixture(scope="module")
def race():
    return optimizer_race()


@pytest.fixture(scope="module")
def explorer():
    return generalization_explorer()


def _reset_race(r):
    r.surface_dropdown.value = "ravine"
    r.lr_slider.value = 0.1
    r.steps_slider.value = 150
    r.beta_slider.value = 0.9
    r.beta1_slider.value = 0.9
    r.beta2_slider.value = 0.999


# ------------------------------------------------------------------ optimizer_race
def test_race_draws_on_creation_and_displays_everywhere(race):
    assert _png_size(race.png) == (820, 340)
    bundle, metadata = race._repr_mimebundle_()
    assert metadata == {"backprop_lessons": {"fallback": "image/png"}}
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "<optimizer race: run the notebook to interact>"
    assert repr(race) == bundle["text/plain"]
    assert race.status_text.startswith("after 150 steps: SGD E = ")
    assert set(race.paths) == set(RACERS) == {"SGD", "momentum", "Adam"}


@pytest.mark.parametrize(
    "control, value, artist",
    [
        ("lr_slider", 0.03, "SGD"),
        ("beta_slider", 0.5, "momentum"),
        ("beta1_slider", 0.5, "Adam"),
        ("beta2_slider", 0.9, "Adam"),
        ("steps_slider", 60, "SGD"),
        ("surface_dropdown", "saddle", "SGD"),
    ],
)
def test_each_race_control_changes_the_paths_and_pixels_and_back(race, control, value, artist):
    _reset_race(race)
    before_png = race.png
    before = race.path_lines[artist].get_xydata().copy()
    old = getattr(race, control).value
    getattr(race, control).value = value
    after = race.path_lines[artist].get_xydata()
    assert after.shape != before.shape or not np.allclose(after, before)
    assert race.png != before_png
    getattr(race, control).value = old
    np.testing.assert_array_equal(race.path_lines[artist].get_xydata(), before)
    assert race.png == before_png  # deterministic: the same setting gives the same bytes


def test_race_paths_are_the_package_optimizers_in_lockstep(race):
    _reset_race(race)
    race.surface_dropdown.value = "local_minimum"
    race.lr_slider.value = 0.2
    race.beta_slider.value = 0.8
    race.beta1_slider.value = 0.7
    race.beta2_slider.value = 0.99
    race.steps_slider.value = 80
    lr = race.lr_slider.value
    expected = {
        "SGD": SGD(lr),
        "momentum": Momentum(lr, beta=0.8),
        "Adam": Adam(lr, beta1=0.7, beta2=0.99),
    }
    for name, opt in expected.items():
        path = run_optimizer(opt, "local_minimum", 80)
        np.testing.assert_allclose(race.paths[name].points, path.points)
        assert race.final_losses[name] == pytest.approx(path.final_loss)
        np.testing.assert_allclose(race.path_lines[name].get_xydata(), path.points)
        np.testing.assert_allclose(race.paths[name].points[0], SURFACES["local_minimum"].start)
    # The loss panel shows E - E_min per step, floored at 1e-6 for the log axis.
    gap = np.clip(race.paths["Adam"].losses - SURFACES["local_minimum"].E_min, 1e-6, None)
    np.testing.assert_allclose(race.loss_lines["Adam"].get_ydata(), gap)


def test_race_divergence_is_shown_not_raised(race):
    _reset_race(race)
    race.lr_slider.value = 0.2  # above SGD's limit 2/18 on the ravine, below momentum's
    assert race.paths["SGD"].diverged_at is not None
    assert race.paths["momentum"].diverged_at is None
    assert "SGD diverged at step" in race.status_text and "2/18" in race.status_text
    x, y = race.div_markers["SGD"].get_data()
    assert len(x) == 1 and y[0] <= race.loss_top
    assert len(race.end_markers["SGD"].get_xydata()) == 0
    _reset_race(race)
    assert len(race.div_markers["SGD"].get_xydata()) == 0


def test_race_blits_and_caches_one_background_per_surface(race):
    _reset_race(race)
    redraws = race.fast.full_redraws
    for lr in (0.05, 0.07, 0.09):
        race.lr_slider.value = lr
    race.beta_slider.value = 0.6
    assert race.fast.full_redraws == redraws  # paths and curves only
    race.surface_dropdown.value = "saddle"
    race.surface_dropdown.value = "ravine"
    race.surface_dropdown.value = "saddle"
    assert race.fast.full_redraws <= redraws + 1  # each (surface, x axis) background drawn once


def test_race_bad_values_are_clamped_or_explained(race):
    _reset_race(race)
    race.lr_slider.value = 50.0
    assert race.lr_slider.value == 1.0  # the end of the grid
    race.lr_slider.value = -1.0
    assert race.lr_slider.value == 1.0 and "must be a positive number, got -1.0; kept 1" in race.status_text
    race.beta_slider.value = 1.5
    assert race.beta_slider.value == pytest.approx(0.99)  # never 1: the optimizer would refuse it
    race.steps_slider.value = 10_000
    assert race.steps_slider.value == 300
    _reset_race(race)
    race.beta1_slider.value = math.nan
    assert race.beta1_slider.value == pytest.approx(0.9)
    assert "must be a finite number" in race.status_text and "kept 0.9" in race.status_text


def test_race_start_values_are_checked():
    r = optimizer_race(surface="saddle", lr=-0.1, beta=2.0, steps=1000)
    assert r.lr_slider.value == pytest.approx(0.1) and r.beta_slider.value == pytest.approx(0.99)
    assert r.steps_slider.value == 300
    text = r.status_text
    assert "learning rate must be a positive number, got -0.1; using 0.1." in text
    assert "momentum β 2.0 is outside the slider's range; using 0.99." in text
    r = optimizer_race(lr=0.13, beta="a")
    assert r.lr_slider.value == 0.1 and r.beta_slider.value == 0.9
    assert "learning rate 0.13 is not on the slider's grid; using 0.1." in r.status_text
    assert "momentum β must be a finite number, got 'a'; using 0.9." in r.status_text
    with pytest.raises(ValueError, match="unknown surface 'bowl'"):
        optimizer_race(surface="bowl")


def test_two_races_with_the_same_settings_draw_the_same_bytes(race):
    _reset_race(race)
    assert optimizer_race().png == race.png


# ---------------------------------------------------------- generalization_explorer
def test_generalization_draws_on_creation(explorer):
    assert _png_size(explorer.png) == (820, 340)
    bundle, _ = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == "<generalization explorer: run the notebook to interact>"
    assert "image/png" in bundle
    assert explorer.status_text.startswith("n = 30, λ = 0, p = 0: training loss ")
    assert explorer.setting() == (30, 0.0, 0.0)


def test_default_setting_overfits_and_more_data_helps(explorer):
    explorer.size_slider.value = 30
    r = explorer.result
    assert r.train_loss[-1] < 0.01  # the 30 training points are memorized...
    assert r.val_loss[-1] > 2 * r.val_loss.min()  # ...while the validation loss climbs again
    assert r.best_epoch == int(np.argmin(r.val_loss)) + 1 < len(r.val_loss)
    assert "Overfitting" in explorer.status_text
    explorer.size_slider.value = 200
    big = explorer.result
    assert big.val_loss[-1] < r.val_loss[-1] and big.train_loss[-1] > r.train_loss[-1]
    explorer.size_slider.value = 30


@pytest.mark.parametrize(
    "control, value, data",
    [
        ("size_slider", 60, lambda e: e.points[0].get_offsets().copy()),
        ("l2_slider", 0.003, lambda e: e.val_line.get_ydata().copy()),
        ("dropout_slider", 0.3, lambda e: e.boundary_image.get_array().copy()),
    ],
)
def test_each_generalization_control_changes_the_picture(explorer, control, value, data):
    explorer.size_slider.value, explorer.l2_slider.value, explorer.dropout_slider.value = 30, 0.0, 0.0
    before, before_png = data(explorer), explorer.png
    getattr(explorer, control).value = value
    after = data(explorer)
    assert after.shape != before.shape or not np.array_equal(after, before)
    assert explorer.png != before_png
    old = {"size_slider": 30, "l2_slider": 0.0, "dropout_slider": 0.0}[control]
    getattr(explorer, control).value = old
    assert explorer.trained_last is False  # a revisit comes from the cache
    assert explorer.png == before_png


def test_regularization_narrows_the_gap(explorer):
    explorer.size_slider.value, explorer.l2_slider.value, explorer.dropout_slider.value = 30, 0.0, 0.0
    plain = explorer.result
    explorer.l2_slider.value = 0.003
    decayed = explorer.result
    explorer.l2_slider.value = 0.0
    explorer.dropout_slider.value = 0.3
    dropped = explorer.result
    explorer.dropout_slider.value = 0.0
    for r in (decayed, dropped):
        assert r.val_loss[-1] < plain.val_loss[-1] / 2
        assert r.train_loss[-1] > plain.train_loss[-1]


def test_results_are_the_package_training_run(explorer):
    explorer.size_slider.value, explorer.l2_slider.value, explorer.dropout_slider.value = 30, 0.0, 0.0
    model, history = gen.train_setting(30, 0.0, 0.0)
    np.testing.assert_allclose(explorer.result.val_loss, history.val_loss)
    np.testing.assert_allclose(explorer.result.train_loss, history.epoch_loss)
    # The L2 wrapper is the same update as train(l2=...), which only adds the penalty to the losses.
    from backprop_lessons.layers import mlp
    from backprop_lessons.training import train

    X_pool, y_pool, X_val, y_val = gen.problem()
    model_a, _ = gen.train_setting(20, 0.01, 0.0)
    model_b = mlp([2, *gen.HIDDEN, 1], activation="tanh", init="xavier", rng=0)
    train(model_b, X_pool[:20], y_pool[:20], loss="bce", optimizer="adam", lr=gen.LR, epochs=gen.EPOCHS, l2=0.01)
    for key, W in model_a.params.items():
        np.testing.assert_allclose(W, model_b.params[key], rtol=1e-10, atol=1e-12)


def test_generalization_bad_values(explorer):
    explorer.size_slider.value = 5000
    assert explorer.size_slider.value == 200
    explorer.size_slider.value = 30
    explorer.dropout_slider.value = math.nan
    assert explorer.dropout_slider.value == 0.0
    assert "must be a finite number" in explorer.status_text
    e = generalization_explorer(n=-3, l2=0.02, dropout=0.9)
    assert e.setting() == (10, 0.03, 0.6)
    assert "L2 strength λ = 0.02 is not on the slider; using 0.03." in e.status_text
    assert "dropout rate p 0.9 is outside the slider's range; using 0.6." in e.status_text
