"""plots.py: every function draws the data it was given, labels its axes and returns its artists."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import LogNorm, to_rgb  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from backprop_lessons import graph, plots  # noqa: E402
from backprop_lessons.activations import ACTIVATIONS  # noqa: E402
from backprop_lessons.data import line, moons, spiral  # noqa: E402
from backprop_lessons.layers import Linear, Sequential  # noqa: E402
from backprop_lessons.training import History, train  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture
def ax():
    fig = Figure()
    yield fig.add_subplot()


@pytest.fixture(autouse=True)
def _close_pyplot():
    yield
    plt.close("all")


def _labelled(ax):
    return bool(ax.get_xlabel().strip()) and bool(ax.get_ylabel().strip())


def test_palette_is_okabe_ito():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    assert set(plots.PALETTE.values()) == okabe_ito
    assert plots.COLORS == list(plots.PALETTE.values())


def test_draw_graph_is_the_graph_modules():
    assert plots.draw_graph is graph.draw_graph


# ---------------------------------------------------------------- loss curves
def test_loss_curves_draw_each_curve_with_labels_and_log_scale(ax):
    a, b = np.array([4.0, 2.0, 1.0]), np.array([4.0, 3.0, 2.5, 2.0])
    d = plots.plot_loss_curves([a, b], labels=["α = 0.1", "α = 0.01"], ax=ax)
    assert d.ax is ax and _labelled(ax)
    assert ax.get_yscale() == "log"
    np.testing.assert_array_equal(d.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(d.lines[0].get_ydata(), a)
    np.testing.assert_array_equal(d.lines[1].get_ydata(), b)
    assert [t.get_text() for t in d.legend.get_texts()] == ["α = 0.1", "α = 0.01"]
    assert d.markers == [None, None] and d.notes == [None, None]
    assert d.lines[0].get_color() != d.lines[1].get_color()


def test_loss_curves_mark_divergence_from_a_history(ax):
    X, y = line()
    history = train(Sequential(Linear(1, 1, rng=0)), X, y, lr=3.0, epochs=30)
    assert history.diverged_at is not None
    d = plots.plot_loss_curves(history, ax=ax)
    ex, ey = d.markers[0].get_data()
    losses = np.asarray(history.epoch_loss)
    k = history.diverged_at
    assert ex[0] == k and ey[0] == pytest.approx(losses[k - 1])  # the × sits on the last loss
    assert d.markers[0].get_marker() == "x"
    assert d.notes[0].get_text() == f"diverged at epoch {k}"
    assert ax.get_ylim()[1] > losses.max()  # the note has room above the marker


def test_loss_curves_break_at_non_finite_values_and_accept_explicit_divergence(ax):
    d = plots.plot_loss_curves([1.0, 10.0, np.inf], ax=ax, diverged_at=3, log=False)
    y = d.lines[0].get_ydata()
    assert y[:2].tolist() == [1.0, 10.0] and np.isnan(y[2])
    assert d.markers[0].get_data()[0][0] == 2.0  # the last finite loss
    assert ax.get_yscale() == "linear"


def test_loss_curves_reject_mismatched_labels(ax):
    with pytest.raises(ValueError, match="2 labels for 1 curves"):
        plots.plot_loss_curves([1.0, 0.5], labels=["a", "b"], ax=ax)


def test_ax_none_makes_a_pyplot_figure():
    d = plots.plot_loss_curves([3.0, 2.0, 1.0])
    assert d.ax.figure in [plt.figure(n) for n in plt.get_fignums()]
    assert _labelled(d.ax)


# ---------------------------------------------------------- decision boundary
def test_decision_boundary_binary_model(ax):
    X, y = moons(n=60)
    W = np.array([[1.0], [-2.0]])  # logit = x1 - 2 x2: a straight boundary

    d = plots.plot_decision_boundary(lambda P: P @ W, X, y, ax=ax, resolution=50)
    assert _labelled(ax)
    img = d.image.get_array()
    assert img.shape == (50, 50, 3)
    # Bottom-right corner: logit > 0 -> class 1 (orange-ish); top-left: class 0 (blue-ish).
    orange, blue = np.array(to_rgb(plots.PALETTE["orange"])), np.array(to_rgb(plots.PALETTE["blue"]))
    assert np.linalg.norm(img[0, -1] - orange) < np.linalg.norm(img[0, -1] - blue)
    assert np.linalg.norm(img[-1, 0] - blue) < np.linalg.norm(img[-1, 0] - orange)
    for k, pts in enumerate(d.points):
        np.testing.assert_array_equal(pts.get_offsets(), X[y == k])
    assert d.boundary is not None  # the 0.5 contour


def test_decision_boundary_multiclass_uses_argmax_colours(ax):
    X, y = spiral(n_per_class=20)
    centres = np.array([X[y == k].mean(axis=0) for k in range(3)])  # (3, 2)

    def nearest_centre_scores(P):
        return -((P[:, None, :] - centres[None]) ** 2).sum(axis=2)  # (N, 3)

    d = plots.plot_decision_boundary(nearest_centre_scores, X, y, ax=ax, resolution=40)
    assert d.boundary is None and len(d.points) == 3
    assert d.image.get_array().shape == (40, 40, 3)


def test_decision_rgb_is_white_on_the_boundary_and_coloured_when_sure():
    rgb = plots.decision_rgb(np.array([0.0, 20.0, -20.0]), (1, 3), strength=0.5)
    np.testing.assert_allclose(rgb[0, 0], [1.0, 1.0, 1.0])
    orange = np.array(to_rgb(plots.PALETTE["orange"]))
    np.testing.assert_allclose(rgb[0, 1], 1.0 - 0.5 * (1.0 - orange), atol=1e-8)


def test_decision_boundary_rejects_three_features(ax):
    with pytest.raises(ValueError, match="2-D inputs, got 3 features"):
        plots.plot_decision_boundary(lambda P: P[:, :1], np.zeros((4, 3)), np.zeros(4), ax=ax)


# -------------------------------------------------------------- loss surfaces
def test_loss_surface_1d_curve_and_path(ax):
    def f(w):
        return 0.5 * 3.0 * np.asarray(w) ** 2

    path = [2.0, -1.0, 0.5]
    d = plots.plot_loss_surface_1d(f, (-2.0, 2.0), path=path, ax=ax)
    np.testing.assert_allclose(d.curve.get_ydata(), f(d.curve.get_xdata()))
    np.testing.assert_array_equal(d.path_line.get_xdata(), path)
    np.testing.assert_allclose(d.path_line.get_ydata(), f(np.array(path)))
    assert d.start.get_xdata()[0] == 2.0 and d.end.get_xdata()[0] == 0.5
    assert _labelled(ax)


def test_loss_surface_1d_accepts_a_scalar_only_function(ax):
    d = plots.plot_loss_surface_1d(lambda w: float(w) ** 2 + 1.0, (-1.0, 1.0), ax=ax)
    np.testing.assert_allclose(d.curve.get_ydata(), d.curve.get_xdata() ** 2 + 1.0)
    assert d.path_line is None


def test_loss_surface_2d_grid_levels_and_path(ax):
    def E(w, b):
        return (w - 1.0) ** 2 + 4.0 * (b + 0.5) ** 2

    path = np.array([[-1.0, 1.0], [0.0, 0.2], [0.8, -0.4]])
    d = plots.plot_loss_surface_2d(E, (-2.0, 3.0), (-2.0, 2.0), path=path, ax=ax, levels=10, resolution=60)
    w = np.linspace(-2.0, 3.0, 60)
    b = np.linspace(-2.0, 2.0, 60)
    np.testing.assert_allclose(d.Z, E(*np.meshgrid(w, b)))
    offsets = np.asarray(d.contour.levels) - d.Z.min()
    ratios = offsets[1:] / offsets[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)  # log-spaced above the minimum
    np.testing.assert_array_equal(np.column_stack(d.path_line.get_data()), path)
    assert d.start.get_xdata()[0] == -1.0 and d.end.get_ydata()[0] == -0.4
    assert ax.get_xlabel() == "weight w" and ax.get_ylabel() == "bias b"


# ---------------------------------------------------------------- activations
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_draws_f_and_its_derivative(name, ax):
    f, f_prime = ACTIVATIONS[name]
    d = plots.plot_activation(name, ax=ax)
    z = d.f_line.get_xdata()
    np.testing.assert_allclose(d.f_line.get_ydata(), f(z))
    np.testing.assert_allclose(d.df_line.get_ydata(), f_prime(z))
    assert len(d.legend.get_texts()) == 2 and _labelled(ax)


def test_activation_unknown_name(ax):
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        plots.plot_activation("swish", ax=ax)


# ------------------------------------------------------------- gradient norms
def test_grad_norms_bars_are_the_norms_on_a_log_axis(ax):
    norms = np.array([1e-6, 1e-3, 0.5, 2.0])
    d = plots.plot_grad_norms(norms, ax=ax)
    np.testing.assert_allclose([r.get_height() for r in d.bars], norms)
    np.testing.assert_allclose([r.get_x() + r.get_width() / 2 for r in d.bars], [1, 2, 3, 4])
    assert ax.get_yscale() == "log" and _labelled(ax)


def test_grad_heatmap_rows_are_layers_with_a_log_colour_scale(ax):
    G = np.array([[1e-4, 1e-2, 1.0], [2e-4, 3e-2, np.nan]])  # (epochs 2, layers 3)
    d = plots.plot_grad_heatmap(G, ax=ax)
    shown = d.image.get_array()
    assert shown.shape == (3, 2)
    np.testing.assert_allclose(shown[:, 0], G[0])
    assert np.ma.is_masked(shown[2, 1])
    assert isinstance(d.image.norm, LogNorm) and d.image.norm.vmin == pytest.approx(1e-4)
    assert d.colorbar.ax.get_ylabel() == "‖∂E/∂W‖"
    assert _labelled(ax)


# ----------------------------------------------------------------------- data
def test_plot_data_classes_and_regression(ax):
    X, y = moons(n=40)
    d = plots.plot_data(X, y, ax=ax)
    assert len(d.points) == 2 and _labelled(ax)
    np.testing.assert_array_equal(d.points[1].get_offsets(), X[y == 1])
    fig = Figure()
    Xl, yl = line(n=10)
    d = plots.plot_data(Xl, yl, ax=fig.add_subplot())
    np.testing.assert_array_equal(d.points[0].get_offsets(), np.column_stack([Xl[:, 0], yl[:, 0]]))
    assert d.ax.get_xlabel() == "input x"


def test_plot_functions_leave_rcparams_alone(ax):
    before = dict(matplotlib.rcParams)
    plots.plot_activation("tanh", ax=ax)
    plots.plot_grad_heatmap(np.ones((3, 2)), ax=Figure().add_subplot())
    assert dict(matplotlib.rcParams) == before


def test_history_type_is_accepted_in_a_list(ax):
    h = History(epoch_loss=[3.0, 2.0])
    d = plots.plot_loss_curves([h, [3.0, 1.0]], ax=ax)
    np.testing.assert_array_equal(d.lines[0].get_ydata(), [3.0, 2.0])
    assert d.legend is not None  # several curves get a legend ("run 1", "run 2")
