"""Gradient checking tools: finite differences, relative error, check_layer."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lessons.gradcheck import check_layer, numerical_gradient, rel_error
from backprop_lessons.layers import BatchNorm1d, Dropout, Linear, Sequential, Tanh, mlp


# -------------------------------------------------------- numerical_gradient
def test_gradient_of_a_cubic():
    x = np.array([[-1.5, 0.3], [2.0, 1.0]])
    grad = numerical_gradient(lambda v: np.sum(v**3), x)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, 3 * x**2, rtol=1e-9)


def test_python_number_gives_a_float():
    slope = numerical_gradient(math.sin, 0.3)
    assert type(slope) is float
    assert slope == pytest.approx(math.cos(0.3), rel=1e-10)


def test_central_beats_one_sided_differences():
    # Central error ~ h^2 f'''/6 ~ 5e-11 here; one-sided ~ h f''/2 ~ 1.4e-5.
    h = 1e-5
    central = numerical_gradient(math.exp, 1.0, h=h)
    one_sided = (math.exp(1.0 + h) - math.exp(1.0)) / h
    assert abs(central - math.e) < 1e-9
    assert abs(one_sided - math.e) > 1e-6


def test_x_is_restored_exactly():
    x = np.random.default_rng(0).normal(size=(3, 4))
    before = x.copy()
    numerical_gradient(lambda v: np.sum(np.tanh(v)), x)
    np.testing.assert_array_equal(x, before)


def test_x_is_restored_when_f_raises():
    x = np.array([1.0, 2.0])
    before = x.copy()

    def fails_on_second_entry(v):
        if v[1] != 2.0:
            raise ArithmeticError("boom")
        return float(np.sum(v))

    with pytest.raises(ArithmeticError):
        numerical_gradient(fails_on_second_entry, x)
    np.testing.assert_array_equal(x, before)


def test_x_is_nudged_in_place_so_f_can_read_it_elsewhere():
    W = np.array([[1.0, 2.0]])
    grad = numerical_gradient(lambda _: float(np.sum(W**2)), W)  # f ignores its argument
    np.testing.assert_allclose(grad, 2 * W, rtol=1e-9)


def test_non_contiguous_arrays_work():
    base = np.arange(12.0).reshape(3, 4)
    view = base[:, ::2]  # a strided view
    grad = numerical_gradient(lambda v: np.sum(v**2), view)
    np.testing.assert_allclose(grad, 2 * view, rtol=1e-9)


@pytest.mark.parametrize(
    "x, text",
    [
        (np.ones(3, dtype=np.float32), "float64"),
        (np.ones(3, dtype=np.int64), "float64"),
        ([1.0, 2.0], "float64 numpy array"),
    ],
)
def test_numerical_gradient_needs_a_float64_array(x, text):
    with pytest.raises(TypeError) as err:
        numerical_gradient(lambda v: 0.0, x)
    assert text in str(err.value)


@pytest.mark.parametrize("h", [0.0, -1e-5, float("nan")])
def test_step_must_be_positive(h):
    with pytest.raises(ValueError, match="h must be a positive number"):
        numerical_gradient(math.sin, 0.0, h=h)


@settings(max_examples=20)
@given(xs=st.lists(st.floats(-3, 3), min_size=1, max_size=8))
def test_numerical_gradient_property(xs):
    x = np.array(xs)
    grad = numerical_gradient(lambda v: np.sum(np.sin(v) * v), x)
    exact = np.cos(x) * x + np.sin(x)
    np.testing.assert_allclose(grad, exact, atol=1e-9)


# ----------------------------------------------------------------- rel_error
def test_rel_error_by_hand():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0], [3.0]) == 0.5  # |1 - 3| / (1 + 3)
    assert rel_error([1.0, 10.0], [1.0, 11.0]) == pytest.approx(1 / 21, rel=1e-15)  # the largest entry
    assert rel_error([0.0], [0.0]) == 0.0
    assert rel_error([0.0], [1e-10]) == pytest.approx(0.01, rel=1e-12)  # floor 1e-8 in the denominator
    assert type(rel_error(1.0, 1.0)) is float


def test_rel_error_refuses_to_broadcast():
    with pytest.raises(ValueError, match=r"cannot compare gradients of shapes \(3,\) and \(3, 1\)"):
        rel_error(np.zeros(3), np.zeros((3, 1)))


# --------------------------------------------------------------- check_layer
def test_check_layer_reports_x_and_every_param():
    errors = check_layer(Linear(3, 2, rng=0), np.random.default_rng(1).normal(size=(4, 3)))
    assert set(errors) == {"X", "W", "b"}
    assert max(errors.values()) < 1e-7


class ForgetsTheBias(Linear):
    """A typical mistake: db left at zero."""

    def backward(self, dout):
        dX = super().backward(dout)
        self.grads["b"][...] = 0.0
        return dX


class WrongSign(Linear):
    def backward(self, dout):
        return -super().backward(dout)


def test_check_layer_catches_broken_backward_passes():
    X = np.random.default_rng(2).normal(size=(4, 3))
    errors = check_layer(ForgetsTheBias(3, 2, rng=0), X)
    assert errors["b"] == 1.0 and errors["W"] < 1e-7  # 0 vs g: |g| / |g|
    errors = check_layer(WrongSign(3, 2, rng=0), X)
    assert errors["X"] == 1.0 and errors["W"] < 1e-7


def test_check_layer_leaves_the_layer_untouched():
    model = mlp([3, 4, 2], batchnorm=True, dropout=0.5, rng=0)
    X = np.random.default_rng(3).normal(size=(6, 3))
    params = {k: v.copy() for k, v in model.params.items()}
    bn, drop = model[1], model[3]
    rng_state = drop.rng.bit_generator.state
    check_layer(model, X)
    for k, v in model.params.items():
        np.testing.assert_array_equal(v, params[k])
    np.testing.assert_array_equal(bn.running_mean, np.zeros(4))  # no forward pass happened here
    assert drop.rng.bit_generator.state == rng_state and drop.mask is None and not drop.frozen


def test_check_layer_freezes_dropout_itself():
    model = Sequential(Linear(3, 5, rng=0), Tanh(), Dropout(0.5, rng=1), Linear(5, 2, rng=2))
    errors = check_layer(model, np.random.default_rng(4).normal(size=(4, 3)))
    assert max(errors.values()) < 1e-7


def test_check_layer_is_deterministic_for_a_seed():
    layer, X = BatchNorm1d(3), np.random.default_rng(5).normal(size=(5, 3))
    assert check_layer(layer, X, rng=3) == check_layer(layer, X, rng=3)


def test_check_layer_works_for_any_object_with_the_layer_interface():
    class Scale:
        """A learner's own layer: out = a * X, one parameter per feature."""

        def __init__(self):
            self.params = {"a": np.array([2.0, -1.0])}
            self.grads = {"a": np.zeros(2)}

        def forward(self, X):
            self.X = X
            return X * self.params["a"]

        def backward(self, dout):
            self.grads["a"] = (dout * self.X).sum(axis=0)
            return dout * self.params["a"]

    errors = check_layer(Scale(), np.random.default_rng(6).normal(size=(3, 2)))
    assert set(errors) == {"X", "a"} and max(errors.values()) < 1e-7


def test_check_layer_rejects_bad_input():
    with pytest.raises(ValueError, match="X contains NaN or inf at row 0"):
        check_layer(Linear(2, 2), np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match=r"X must be a 2-D array, got shape \(2,\)"):
        check_layer(Linear(2, 2), np.ones(2))
