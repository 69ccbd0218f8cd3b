"""The explorers: headless, deterministic, robust to bad values, and showing the right numbers."""

import base64
import io
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from backprop_lessons import widgets  # noqa: E402
from backprop_lessons.activations import ACTIVATIONS  # noqa: E402
from backprop_lessons.data import line  # noqa: E402
from backprop_lessons.widgets import gradient_flow as gf  # noqa: E402
from backprop_lessons.widgets import learning_rate as lrx  # noqa: E402
from backprop_lessons.widgets._canvas import FastFigure, PixelImage  # noqa: E402

# Every warning the course raises is an error. A DeprecationWarning that a library raises inside
# matplotlib (older matplotlib + newer pyparsing: "'parseString' deprecated") is not ours, and a
# learner never sees it (Python hides DeprecationWarnings raised outside __main__).
pytestmark = pytest.mark.filterwarnings("error", "ignore::DeprecationWarning:(matplotlib|pyparsing)")

SIZE = (800, 330)


def _png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        return im.size


# One explorer of each kind for the whole module: construction trains models.
@pytest.fixture(scope="module")
def neuron():
    return widgets.neuron_explorer()


@pytest.fixture(scope="module")
def fit():
    return widgets.fit_explorer()


@pytest.fixture(scope="module")
def lr():
    return widgets.learning_rate_explorer()


@pytest.fixture(scope="module")
def lr_boundary():
    return widgets.learning_rate_explorer(problem="boundary")


@pytest.fixture(scope="module")
def act():
    return widgets.activation_explorer()


@pytest.fixture(scope="module")
def flow():
    return widgets.gradient_flow_explorer()


# (fixture, control attribute, value a, value b, function explorer -> the figure data it changes)
CASES = [
    ("neuron", "w1_slider", 1.0, -2.0, lambda e: e.boundary.get_xydata().copy()),
    ("neuron", "w2_slider", -0.5, 1.5, lambda e: e.boundary.get_xydata().copy()),
    ("neuron", "b_slider", 0.0, 2.0, lambda e: e.output_image.get_array().copy()),
    ("fit", "w_slider", 0.5, 3.0, lambda e: e.fit_line.get_xydata().copy()),
    ("fit", "b_slider", 0.0, 1.0, lambda e: e.curve.get_xydata().copy()),
    ("lr", "lr_slider", 0.1, 0.5, lambda e: e.loss_line.get_xydata().copy()),
    ("lr", "epochs_slider", 30, 50, lambda e: e.loss_line.get_xydata().copy()),
    ("lr", "optimizer_dropdown", "sgd", "momentum", lambda e: e.path_line.get_xydata().copy()),
    ("lr_boundary", "lr_slider", 0.1, 1.0, lambda e: e.boundary_image.get_array().copy()),
    ("act", "activation_dropdown", "tanh", "relu", lambda e: e.f_line.get_xydata().copy()),
    ("act", "dataset_dropdown", "moons", "xor", lambda e: e.points[0].get_offsets().copy()),
    ("flow", "depth_slider", 10, 4, lambda e: e.norms.copy()),
    ("flow", "activation_dropdown", "sigmoid", "tanh", lambda e: e.norms.copy()),
    ("flow", "init_dropdown", "normal", "he", lambda e: e.heatmap.copy()),
    ("flow", "clip_checkbox", False, True, lambda e: np.array([p.vertices for p in e.bars.get_paths()])),
    ("flow", "residual_checkbox", False, True, lambda e: np.array([p.vertices for p in e.bars.get_paths()])),
    ("flow", "batchnorm_checkbox", False, True, lambda e: np.array([p.vertices for p in e.bars.get_paths()])),
]
EXPLORERS = ["neuron", "fit", "lr", "lr_boundary", "act", "flow"]


@pytest.mark.parametrize("name", EXPLORERS)
def test_construction_draws_a_png_and_displays_everywhere(name, request):
    e = request.getfixturevalue(name)
    assert _png_size(e.png) == SIZE
    bundle, metadata = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    # the static picture: the live one with a caption strip under it
    width, height = _png_size(base64.b64decode(bundle["image/png"]))
    assert width == SIZE[0] and height == SIZE[1] + 24
    assert metadata == {"backprop_lessons": {"fallback": "image/png"}}
    assert bundle["text/plain"] == e.text_plain and "run the notebook to interact" in e.text_plain
    assert e.figure is e.fast.figure and e.status_text
    assert plt.get_fignums() == []  # explorers never make pyplot figures (nothing leaks inline)


@pytest.mark.parametrize("name, control, a, b, data", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_each_control_changes_data_and_pixels_deterministically(name, control, a, b, data, request):
    e = request.getfixturevalue(name)
    widget = getattr(e, control)
    widget.value = a
    png_a, data_a = e.png, data(e)
    widget.value = b
    assert e.png != png_a
    assert not np.array_equal(data(e), data_a)
    widget.value = a
    assert e.png == png_a  # same value, same bytes
    np.testing.assert_array_equal(data(e), data_a)


@pytest.mark.parametrize("name, control", [("neuron", "w1_slider"), ("fit", "b_slider"), ("lr", "lr_slider")])
def test_nan_is_explained_and_the_last_good_value_kept(name, control, request):
    e = request.getfixturevalue(name)
    widget = getattr(e, control)
    widget.value = 0.5
    good = widget.value  # 0.5 itself, or the nearest point of a log slider's grid
    widget.value = float("nan")
    assert widget.value == good
    assert f"got nan; kept {good:.3g}" in e.status_text
    widget.value = 0.6  # the note is shown once
    assert "finite number" not in e.status_text


def test_sliders_clamp_zero_and_negative_values(lr, flow):
    lr.lr_slider.value = 0.1
    for bad in (0.0, -0.1):
        lr.lr_slider.value = bad  # a log grid has no 0: kept, and said so
        assert lr.lr_slider.value == 0.1
        assert f"must be a positive number, got {bad!r}; kept 0.1" in lr.status_text
        assert math.isfinite(lr.final_loss)
    lr.epochs_slider.value = -3
    assert lr.epochs_slider.value == 1 and lr.history.epochs_run == 1
    lr.epochs_slider.value = 30
    flow.depth_slider.value = 0
    assert flow.depth_slider.value == 1 and flow.norms.shape == (2,)
    flow.depth_slider.value = 10


def test_blitting_redraws_only_what_moves(lr):
    lr.epochs_slider.value = 30
    redraws = lr.fast.full_redraws
    for value in (0.01, 0.02, 0.03):
        lr.lr_slider.value = value
    assert lr.fast.full_redraws == redraws


# -------------------------------------------------------- learning-rate explorer
def _gd_step(X, y, w, b, alpha):
    """One full-batch gradient descent step on E = mean((w x + b - y)^2), by hand."""
    r = w * X[:, 0] + b - y[:, 0]
    return w - alpha * np.mean(2 * r * X[:, 0]), b - alpha * np.mean(2 * r)


def test_learning_rate_regimes_on_the_surface(lr):
    X, y = line()
    H = 2 * np.array([[np.mean(X**2), np.mean(X)], [np.mean(X), 1.0]])
    assert lr.critical_lr == pytest.approx(2 / np.linalg.eigvalsh(H).max(), rel=1e-12)
    assert 0.9 < lr.critical_lr < 1.0
    lr.epochs_slider.value = 30
    lr.optimizer_dropdown.value = "sgd"
    # The slider's grid: 1-2-3-5 plus 0.9, the one point between 2/λmax / 2 and 2/λmax ≈ 0.9957.
    expected = {
        1e-3: "crawling",
        0.01: "crawling",
        0.1: "good",
        0.5: "good",
        0.9: "oscillating",
        1.0: "diverging",
        2.0: "diverging",
    }
    for alpha, name in expected.items():
        lr.lr_slider.value = alpha
        assert lr.lr_slider.value == alpha and lr.regime == name, alpha
    lr.lr_slider.value = 0.3
    assert lr.final_loss < 1.01 * lr.E(*lr.path[-1]) + 1e-12 and lr.final_loss < 0.011  # at the noise floor
    assert lr.final_loss == lr.history.epoch_loss[-1]


@pytest.mark.parametrize(
    "optimizer, alpha, name",
    [
        ("momentum", 0.9, "oscillating"),  # falls from ~7 to ~0.2 with bounces: not "diverging" (its last step rose)
        ("momentum", 2.0, "diverging"),
        ("adam", 1.0, "oscillating"),  # bounces around a low loss: not "good"
        ("adam", 0.3, "good"),
        ("sgd", 1.0, "diverging"),  # just above 2/λmax: falls first, then climbs in most late epochs
    ],
)
def test_regime_is_decided_from_the_whole_run(lr, optimizer, alpha, name):
    lr.epochs_slider.value = 30
    lr.optimizer_dropdown.value = optimizer
    lr.lr_slider.value = alpha
    losses = np.asarray(lr.history.epoch_loss)
    assert lr.regime == name, (optimizer, alpha, losses[[0, -2, -1]])
    if name != "diverging":
        assert losses.min() < 0.1 * losses[0]  # the curve really came down
    assert lr.status_text.startswith(name) or "diverged at epoch" in lr.status_text
    lr.optimizer_dropdown.value = "sgd"
    lr.lr_slider.value = 0.1


def test_learning_rate_path_is_gradient_descent_from_the_fixed_start(lr):
    lr.optimizer_dropdown.value = "sgd"
    lr.lr_slider.value = 0.2
    alpha = lr.lr_slider.value
    assert alpha == 0.2  # on the grid: exactly the value set
    X, y = line()
    w, b = lrx.SURFACE_START
    np.testing.assert_allclose(lr.path[0], (w, b))
    for t in range(1, 4):
        w, b = _gd_step(X, y, w, b, alpha)
        np.testing.assert_allclose(lr.path[t], (w, b), rtol=1e-12)
    np.testing.assert_allclose(lr.path_line.get_xydata(), lr.path)


def test_learning_rate_divergence_is_marked_not_raised(lr):
    lr.epochs_slider.value = 30
    lr.lr_slider.value = 10.0
    k = lr.history.diverged_at
    assert k is not None and k <= 5
    assert f"diverged at epoch {k}" in lr.status_text
    assert lr.div_marker.get_xdata()[0] == k
    assert lr.div_text.get_text() == f"diverged at epoch {k}"
    lr.lr_slider.value = 0.1
    assert len(lr.div_marker.get_xdata()) == 0 and lr.div_text.get_text() == ""


def test_keep_and_clear_runs(lr):
    lr.clear()
    n_lines = len(lr.loss_ax.lines)
    lr.epochs_slider.value = 30
    lr.optimizer_dropdown.value = "sgd"
    redraws = lr.fast.full_redraws
    for alpha in (0.01, 0.1, 0.3, 0.5, 0.9):
        lr.lr_slider.value = alpha
        lr.keep_button.click()
    assert "dropped" not in lr.status_text
    lr.keep_button.click()  # the same run again: not added twice
    assert "is kept already" in lr.status_text and len(lr.kept) == 5
    lr.lr_slider.value = 2.0
    lr.keep_button.click()  # the 6th: the oldest goes, and the status line says so
    assert "At most 5 runs are kept: dropped the oldest (α=0.01)." in lr.status_text
    assert len(lr.kept) == lrx.MAX_KEPT
    labels = [t.get_text() for t in lr.legend.get_texts()]
    assert labels == ["this run", "α=0.1", "α=0.3", "α=0.5", "α=0.9", "α=2"]  # exactly the values set
    assert len(set(labels)) == len(labels)
    assert len(lr.loss_ax.lines) == n_lines + lrx.MAX_KEPT
    assert lr.fast.full_redraws == redraws  # kept lines and legend are blitted
    # the legend column does not reach the right panel (its "bias b" label)
    renderer = lr.fast.canvas.get_renderer()
    assert lr.legend.get_window_extent(renderer).x1 < lr.right_ax.get_tightbbox(renderer).x0
    kept_y = lr.kept[-1][1].get_ydata()
    np.testing.assert_array_equal(kept_y, lr.loss_line.get_ydata())
    lr.clear_button.click()
    assert lr.kept == [] and len(lr.loss_ax.lines) == n_lines
    assert [t.get_text() for t in lr.legend.get_texts()] == ["this run"]
    lr.clear_button.click()
    assert "No kept runs to clear." in lr.status_text


def test_learning_rate_bad_start_values_are_explained():
    e = widgets.learning_rate_explorer(lr=0, epochs=1000)
    assert e.lr_slider.value == pytest.approx(0.1) and e.epochs_slider.value == 200
    assert "learning rate must be a positive number, got 0" in e.status_text
    assert "outside the slider's range" in e.status_text
    e = widgets.learning_rate_explorer(lr=0.25, epochs="a")
    assert e.lr_slider.value == 0.3 and e.epochs_slider.value == 30
    assert "not on the slider's grid; using 0.3" in e.status_text and "got 'a'" in e.status_text
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        widgets.learning_rate_explorer(optimizer="rmsprop")


def test_boundary_problem_reports_accuracy(lr_boundary):
    lr_boundary.lr_slider.value = 1.0
    assert "train accuracy" in lr_boundary.status_text
    assert lr_boundary.boundary_image.get_array().shape[:2] == lr_boundary.boundary_image.shape


# -------------------------------------------------------------- neuron and fit
def test_neuron_line_output_and_accuracy(neuron):
    neuron.w1_slider.value, neuron.w2_slider.value, neuron.b_slider.value = 2.0, 1.0, -0.5
    w, b = np.array([2.0, 1.0]), -0.5
    xs, ys = neuron.boundary.get_data()
    np.testing.assert_allclose(w[0] * xs + w[1] * ys + b, 0.0, atol=1e-9)  # points on w·x + b = 0
    out = 1 / (1 + np.exp(-(neuron.X @ w + b)))
    np.testing.assert_allclose(neuron.output, out, rtol=1e-12)
    assert neuron.accuracy == pytest.approx(np.mean((out > 0.5) == (neuron.y == 1)))
    assert neuron.accuracy > 0.9
    assert f"{neuron.accuracy:.0%}" in neuron.status_text


@pytest.mark.parametrize(
    "make, kwargs, slider, used, note",
    [
        (
            widgets.neuron_explorer,
            {"b": math.nan},
            "b_slider",
            0.0,
            "bias b must be a finite number, got nan; using 0.",
        ),
        (
            widgets.neuron_explorer,
            {"w1": "a"},
            "w1_slider",
            1.0,
            "weight w₁ must be a finite number, got 'a'; using 1.",
        ),
        (
            widgets.neuron_explorer,
            {"w1": 1e9},
            "w1_slider",
            5.0,
            "weight w₁ 1000000000.0 is outside the slider's range; using 5.",
        ),
        (widgets.fit_explorer, {"w": "a"}, "w_slider", 0.5, "weight w must be a finite number, got 'a'; using 0.5."),
        (
            widgets.fit_explorer,
            {"w": math.nan},
            "w_slider",
            0.5,
            "weight w must be a finite number, got nan; using 0.5.",
        ),
        (
            widgets.gradient_flow_explorer,
            {"depth": 2.5},
            "depth_slider",
            2,
            "depth 2.5 is not a whole number; using 2.",
        ),
    ],
)
def test_bad_start_values_get_a_note_and_a_sane_default(make, kwargs, slider, used, note):
    e = make(**kwargs)
    assert getattr(e, slider).value == used
    assert e.status_text.startswith(note)
    assert "nan" not in e.status_text.split(note)[-1]  # the numbers shown are the default's


def test_neuron_with_zero_weights_has_no_line(neuron):
    neuron.w1_slider.value, neuron.w2_slider.value = 0.0, 0.0
    assert len(neuron.boundary.get_xdata()) == 0
    assert "no line" in neuron.status_text
    neuron.w1_slider.value, neuron.w2_slider.value = 1.0, -0.5


def test_fit_loss_slope_and_tangent(fit):
    fit.w_slider.value, fit.b_slider.value = 1.0, 0.2
    X, y = line()
    E = lambda w: np.mean((w * X[:, 0] + 0.2 - y[:, 0]) ** 2)  # noqa: E731
    h = 1e-6
    assert fit.loss == pytest.approx(E(1.0), rel=1e-12)
    assert fit.slope == pytest.approx((E(1.0 + h) - E(1.0 - h)) / (2 * h), rel=1e-6)
    (x0, x1), (y0, y1) = fit.tangent.get_data()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(fit.slope, rel=1e-9)
    assert f"E = {fit.loss:.4f}, dE/dw = {fit.slope:.3f}" in fit.status_text


# ----------------------------------------------------------- activation explorer
def test_activation_explorer_draws_f_and_caches_training(act):
    act.dataset_dropdown.value = "moons"
    for name in ("sigmoid", "relu"):
        act.activation_dropdown.value = name
        f, f_prime = ACTIVATIONS[name]
        z = act.f_line.get_xdata()
        np.testing.assert_allclose(act.f_line.get_ydata(), f(z))
        np.testing.assert_allclose(act.df_line.get_ydata(), f_prime(z))
    act.wait_precomputed()  # the background thread trains the other pairs meanwhile
    n_cached, history = len(act.cache), act.history
    act.activation_dropdown.value = "sigmoid"
    act.activation_dropdown.value = "relu"
    assert len(act.cache) == n_cached and act.history is history  # revisits do not retrain
    assert act.accuracy > 0.95
    assert f"train accuracy {act.accuracy:.0%}" in act.status_text


def test_activation_pairs_are_trained_in_the_background_with_the_same_result():
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    explorer.wait_precomputed()
    assert len(explorer.cache) == 16  # every (activation, dataset) pair, while nobody asked
    rgb, history, acc = explorer.cache[("relu", "spiral")]
    fresh = explorer._train("relu", "spiral")  # in this thread
    np.testing.assert_array_equal(rgb, fresh[0])
    assert history.epoch_loss == fresh[1].epoch_loss and acc == fresh[2]
    explorer.activation_dropdown.value = "relu"
    explorer.dataset_dropdown.value = "spiral"
    assert explorer.history is history  # served from the background's result


def test_activation_explorer_new_activation_costs_no_full_redraw():
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    redraws, png = explorer.fast.full_redraws, explorer.png
    explorer.activation_dropdown.value = "relu"  # first visit of (relu, moons): trains, but nothing static changed
    assert ("relu", "moons") in explorer.cache
    assert explorer.fast.full_redraws == redraws
    assert explorer.png != png
    assert "f(z) = ReLU(z)" in [t.get_text() for t in explorer.legend.get_texts()]
    explorer.dataset_dropdown.value = "xor"  # new axes limits, but drawn ahead after the first picture
    assert explorer.fast.full_redraws == redraws
    explorer.activation_dropdown.value = "sigmoid"
    explorer.dataset_dropdown.value = "moons"  # back to cached limits
    assert explorer.fast.full_redraws == redraws
    explorer.dataset_dropdown.value = "xor"
    full = widgets.activation_explorer(dataset="xor", activation="sigmoid")  # xor drawn on demand
    assert full.png == explorer.png  # a background drawn ahead gives the same bytes


# -------------------------------------------------------- gradient-flow explorer
def _flow(e, depth, activation, init, clip=False, residual=False, batchnorm=False):
    e.depth_slider.value = depth
    e.activation_dropdown.value = activation
    e.init_dropdown.value = init
    e.clip_checkbox.value, e.residual_checkbox.value, e.batchnorm_checkbox.value = clip, residual, batchnorm
    return e


def test_sigmoid_gradients_vanish_and_relu_he_keeps_them(flow):
    e = _flow(flow, 20, "sigmoid", "normal")
    assert e.ratio < 1e-3 and len(e.norms) == 21
    assert e.status_text.startswith(
        f"20 hidden layers + the output layer = 21 weight matrices; first/last rms gradient ratio: {e.ratio:.2g}"
    )
    assert "vanishing" in e.status_text
    assert e.heatmap.shape == (gf.EPOCHS, 21)
    e = _flow(flow, 20, "relu", "he")
    assert 0.05 < e.ratio < 20


def test_large_init_explodes_and_clipping_caps_it(flow):
    e = _flow(flow, 20, "relu", "large")
    assert e.norms.max() > 1e6 and "exploding" in e.status_text
    assert e.history.diverged_at is not None and np.isnan(e.heatmap[-1]).all()
    e = _flow(flow, 20, "relu", "large", clip=True)
    sizes = gf._sizes(20)
    assert np.sqrt(np.sum(e.norms**2 * sizes)) <= gf.CLIP_NORM * (1 + 1e-9)  # weights' share of the total
    assert "clipping scaled the total norm" in e.status_text


def test_gradient_norms_match_a_hand_computation(flow):
    _flow(flow, 3, "tanh", "xavier")
    model = gf._model(3, "tanh", "xavier", False, False)
    norms, _ = gf.gradient_norms(model, flow.X, flow.y)
    np.testing.assert_allclose(flow.norms, norms)
    heights = [p.vertices[:, 1].max() for p in flow.bars.get_paths() + flow.output_bar.get_paths()]
    np.testing.assert_allclose(heights, norms)
    assert len(heights) == 4  # 3 hidden layers + the output layer, one bar each
    # per-entry rms, by hand: W1 is 2 x 16, W2 and W3 16 x 16, W4 16 x 1
    by_hand = [np.sqrt(np.mean(layer.grads["W"] ** 2)) for layer in gf.linear_layers(model)]
    np.testing.assert_allclose(norms, by_hand, rtol=1e-12)
    # the heat map's first epoch is the same rms, from train()'s Frobenius norms
    np.testing.assert_allclose(flow.heatmap[0], by_hand, rtol=1e-9)


@pytest.mark.parametrize("depth", [1, 10, 30])
def test_gradient_flow_axes_fit_the_depth(flow, depth):
    flow.depth_slider.value = depth
    bars, heat = flow.fast.axes
    assert bars.get_xlim() == (0.4, depth + 1.6) and heat.get_ylim() == (0.5, depth + 1.5)
    assert len(flow.bars.get_paths()) + len(flow.output_bar.get_paths()) == depth + 1
    assert flow.heat_image.get_array().shape[0] == depth + 1
    assert any("diverged" in t.get_text() for t in heat.get_legend().get_texts())  # the grey area is named
    flow.depth_slider.value = 10


def test_gradient_flow_clip_goes_through_gradient_norms(flow):
    e = _flow(flow, 10, "relu", "large", clip=True)
    model = gf._model(10, "relu", "large", False, False)
    norms, total = gf.gradient_norms(model, flow.X, flow.y, clip=gf.CLIP_NORM)
    np.testing.assert_allclose(e.norms, norms)
    assert total > gf.CLIP_NORM
    _flow(flow, 10, "sigmoid", "normal")


def test_gradient_flow_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown init 'orthogonal'"):
        widgets.gradient_flow_explorer(init="orthogonal")


# ----------------------------------------------------------------- FastFigure
def test_fast_figure_png_size_and_pixel_image():
    fast = FastFigure(width=400, height=200, dpi=80, ncols=1)
    ax = fast.axes[0]
    img = fast.animate(PixelImage(ax))
    fast.freeze_layout()
    rows, cols = img.shape
    img.set_data(np.tile([1.0, 0.0, 0.0], (2, 2, 1)))  # 2 x 2 red, stretched to the Axes
    fast.draw()
    data = fast.png()
    assert _png_size(data) == (400, 200)
    with Image.open(io.BytesIO(data)) as im:
        x0, y0, x1, y1 = ax.bbox.extents
        centre = im.convert("RGB").getpixel((int((x0 + x1) / 2), int(200 - (y0 + y1) / 2)))
    assert centre == (255, 0, 0)
    assert img.get_array().shape == (2, 2, 4)
    assert fast.full_redraws == 1
    fast.draw()
    assert fast.full_redraws == 1  # nothing static changed


def test_fast_figure_caches_one_background_per_static_key():
    fast = FastFigure(width=300, height=150, ncols=1)
    ax = fast.axes[0]
    for key, lim in (("a", 1), ("b", 2), ("a", 1)):
        ax.set_xlim(0, lim)
        fast.draw(static_key=key)
    assert fast.full_redraws == 2  # "a" came back from the cache


@pytest.mark.parametrize("value", [0.3, 0.13, 0.95, 1e-4, 7.0, 0.302])
def test_log_slider_values_lie_on_its_1_2_3_5_grid(value):
    """Code, readout and prose agree: the slider holds round values and shows them as they are."""
    from backprop_lessons.widgets._canvas import log_slider, nice_grid

    assert nice_grid(0.01, 10) == [0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10]
    slider = log_slider("learning rate α", value, 1e-4, 10.0)
    assert slider.value in nice_grid(1e-4, 10.0)
    assert slider.label == f"{slider.value:g}"  # the readout
    nearest = min(nice_grid(1e-4, 10.0), key=lambda g: abs(np.log(g) - np.log(value)))
    assert slider.value == nearest
    changes = []
    slider.observe(changes.append, "value")
    slider.value = slider.value * (1 + 1e-15)  # an echo off by rounding: snaps back, no change
    assert changes == []


def test_float_slider_snaps_to_its_step():
    from backprop_lessons.widgets._canvas import float_slider

    slider = float_slider("momentum β", 0.9, 0.0, 0.99, step=0.01)
    slider.value = 0.9000000000000001
    assert slider.value == 0.9
    slider.value = 0.123
    assert slider.value == 0.12


# ---- pieces: side by side in a wide cell, stacked in a narrow one
# JupyterLab 4's output area is 468 px wide in a 900 px window with the file browser open
# (measured by tests/browser/test_explorer_controls.py, which checks that nothing scrolls sideways).
PIECE_MAX_PX = 465


def _settings(e):
    """Every control at its ends (sliders) or each option (dropdowns, checkboxes), one at a time."""
    for name in dir(e):
        control = getattr(e, name, None)
        if name.endswith("_dropdown"):
            values = [v if not isinstance(v, tuple) else v[1] for v in control.options]
        elif name.endswith("_checkbox"):
            values = [True, False]
        elif name.endswith("_slider"):
            options = [v[1] if isinstance(v, tuple) else v for v in getattr(control, "options", ())]
            values = options or [control.min, control.max]
            values = [values[0], values[-1]] + [control.value]
        else:
            continue
        start = control.value
        for value in values:
            control.value = value
            yield f"{name}={value!r}"
        control.value = start


def _assert_cuts_are_empty(e, where):
    rgba = np.concatenate(e._pieces, axis=1)  # the frame shown (the canvas may hold a background drawn ahead)
    for x0, _ in e.columns[1:]:
        for x in (x0 - 1, x0):  # the last column of one piece and the first of the next
            drawn = int((rgba[:, x] != 255).any(axis=1).sum())
            assert drawn == 0, f"{where}: the cut at x = {x0} px goes through a drawing ({drawn} px)"


@pytest.mark.parametrize("name", [*EXPLORERS, "race", "generalization"])
def test_pieces_are_narrow_enough_and_cut_only_empty_columns(name, request):
    e = request.getfixturevalue(name) if name in EXPLORERS else None
    if e is None:
        e = widgets.optimizer_race() if name == "race" else widgets.generalization_explorer()
    widths = [x1 - x0 for x0, x1 in e.columns]
    assert len(widths) == 2 and max(widths) <= PIECE_MAX_PX, widths
    assert e.columns[0][0] == 0 and e.columns[-1][1] == e.fast.size[0]
    assert [image.width for image in e.images] == [str(w) for w in widths]
    for where in _settings(e):
        _assert_cuts_are_empty(e, where)
    e.wait_precomputed()
    e.stop_precomputing()
    # the pieces side by side are the whole picture, pixel for pixel
    joined = np.concatenate([np.asarray(Image.open(io.BytesIO(i.value)).convert("RGB")) for i in e.images], axis=1)
    np.testing.assert_array_equal(joined, np.asarray(Image.open(io.BytesIO(e.png)).convert("RGB")))


def test_kept_runs_legend_stays_inside_its_piece(lr):
    lr.clear()
    for optimizer, alpha, epochs in [("adam", 0.002, 200), ("momentum", 0.005, 150), ("sgd", 0.2, 3)]:
        lr.optimizer_dropdown.value = optimizer
        lr.lr_slider.value = alpha
        lr.epochs_slider.value = epochs
        lr.keep()
    _assert_cuts_are_empty(lr, "three kept runs")
    lr.clear()


def test_a_piece_whose_pixels_did_not_change_is_not_sent_again(lr):
    sent = []
    for k, image in enumerate(lr.images):
        image.observe(lambda change, k=k: sent.append(k), names="value")
    lr.keep()  # only the legend and the overlays change ...
    lr.clear()
    sent.clear()
    lr.status.value = ""
    lr.refresh()  # nothing changed at all
    assert sent == []


def test_a_start_state_with_no_empty_column_between_panels_gives_one_picture(monkeypatch):
    def no_cut(self, groups):
        raise ValueError("nothing but drawing between 300 and 310 px")

    monkeypatch.setattr(FastFigure, "columns", no_cut)
    e = widgets.fit_explorer()
    assert e.columns == [(0, SIZE[0])] and len(e.images) == 1
    assert _png_size(e.png) == SIZE


def test_one_epoch_is_singular():
    e = widgets.learning_rate_explorer(epochs=1)
    assert "after 1 epoch." in e.status_text or "after 1 epoch," in e.status_text, e.status_text
