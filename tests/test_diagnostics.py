"""diagnostics.layer_statistics: the numbers a learner reads to find where a network is sick."""

import numpy as np
import pytest

from backprop_lessons.data import spiral
from backprop_lessons.diagnostics import format_statistics, layer_statistics
from backprop_lessons.layers import Linear, ReLU, Sequential, Sigmoid, mlp

X, y = spiral(n_per_class=30, rng=0)


def test_gradient_rms_is_the_per_entry_rms_of_dW():
    model = mlp([2, 8, 8, 3], activation="tanh", rng=0)
    rows = layer_statistics(model, X, y, lr=0.1)
    assert [r["layer"] for r in rows] == [1, 2, 3] and [r["shape"] for r in rows] == [(2, 8), (8, 8), (8, 3)]
    linears = [layer for layer in model.layers if isinstance(layer, Linear)]
    for row, layer in zip(rows, linears):
        dW, W = layer.grads["W"], layer.params["W"]
        assert row["grad_rms"] == pytest.approx(np.linalg.norm(dW) / np.sqrt(dW.size), rel=1e-12)
        assert row["update_ratio"] == pytest.approx(0.1 * row["grad_rms"] / (np.linalg.norm(W) / np.sqrt(W.size)))
    assert rows[-1].get("activation") is None  # the scores layer has no activation


def test_saturated_sigmoid_units_are_counted():
    big = mlp([2, 32, 3], activation="sigmoid", init="normal", std=30.0, rng=0)
    small = mlp([2, 32, 3], activation="sigmoid", init="normal", std=0.01, rng=0)
    assert layer_statistics(big, X, y)[0]["saturated"] > 0.5
    assert layer_statistics(small, X, y)[0]["saturated"] == 0.0


def test_dead_relu_units_are_counted():
    layer = Linear(2, 4, rng=0)
    layer.params["W"][:] = 0.0
    layer.params["b"][:] = [-1.0, -1.0, 1.0, 1.0]  # two units never active, two always
    model = Sequential(layer, ReLU(), Linear(4, 3, rng=1))
    assert layer_statistics(model, X, y)[0]["dead"] == 0.5


def test_table_prints_one_line_per_layer_and_rejects_a_non_sequential():
    rows = layer_statistics(mlp([2, 8, 3], activation="sigmoid", rng=0), X, y, lr=0.1)
    table = format_statistics(rows).splitlines()
    assert len(table) == 3 and "Sigmoid" in table[1] and "(scores)" in table[2]
    with pytest.raises(ValueError, match="needs a Sequential"):
        layer_statistics(Sigmoid(), X, y)


def test_gradient_rms_plot_draws_one_bar_per_layer_on_a_fixed_scale():
    import matplotlib

    matplotlib.use("Agg")
    from backprop_lessons.diagnostics import plot_gradient_rms

    rows = layer_statistics(mlp([2, 8, 8, 3], rng=0), X, y)
    bars = plot_gradient_rms(rows)
    assert len(bars) == 3
    assert [b.get_height() for b in bars] == pytest.approx([r["grad_rms"] for r in rows])
    assert bars[0].axes.get_ylim() == pytest.approx((1e-4, 1e3))
