"""Activation functions: values, derivatives against central differences, extreme inputs."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lessons import activations as act
from backprop_lessons.activations import ACTIVATIONS, get_activation
from backprop_lessons.autograd import Value

NAMES = sorted(ACTIVATIONS)
H = 1e-5  # finite-difference step, float64 throughout


def central_difference(f, x, h=H):
    """Elementwise slope of an elementwise f: (f(x + h) - f(x - h)) / 2h."""
    return (f(x + h) - f(x - h)) / (2 * h)


def rel(a, b):
    """Largest elementwise relative error, floor 1e-8 (written here, independent of gradcheck)."""
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


def away_from_kink(x):
    """Move points within 1e-3 of 0 (the kink of relu / leaky_relu) out to +-1e-3."""
    return np.where(np.abs(x) < 1e-3, np.where(x < 0, -1e-3, 1e-3), x)


def test_registry_has_the_five_activations():
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "identity"}
    assert ACTIVATIONS["tanh"] == (act.tanh, act.tanh_prime)
    assert get_activation("relu") == (act.relu, act.relu_prime)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences_on_a_grid(name):
    f, f_prime = get_activation(name)
    x = away_from_kink(np.linspace(-4.0, 4.0, 801))
    assert rel(f_prime(x), central_difference(f, x)) < 1e-7


@pytest.mark.parametrize("alpha", [0.01, 0.2, 1.5])
def test_leaky_relu_derivative_for_other_slopes(alpha):
    x = away_from_kink(np.linspace(-3.0, 3.0, 301))
    numeric = central_difference(lambda z: act.leaky_relu(z, alpha), x)
    assert rel(act.leaky_relu_prime(x, alpha), numeric) < 1e-7


@settings(max_examples=30)
@given(
    name=st.sampled_from(NAMES),
    xs=st.lists(st.floats(-4.0, 4.0), min_size=1, max_size=20),
)
def test_derivative_matches_central_differences_property(name, xs):
    f, f_prime = get_activation(name)
    x = away_from_kink(np.array(xs))
    assert rel(f_prime(x), central_difference(f, x)) < 1e-7


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_agrees_with_the_scalar_engine(name):
    # autograd.Value is an independent implementation of value and local slope.
    f, f_prime = get_activation(name)
    for x in [-3.0, -0.5, 0.25, 2.0]:
        v = getattr(Value(x), name)()
        assert f(x) == pytest.approx(v.data, rel=1e-15, abs=1e-15)
        assert f_prime(x) == pytest.approx(v.local_grads[0], rel=1e-12, abs=1e-15)


def test_hand_computed_values():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.relu(x), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.relu_prime(x), [0.0, 0.0, 1.0])  # slope 0 at the kink
    np.testing.assert_allclose(act.leaky_relu(x), [-0.02, 0.0, 3.0], rtol=1e-15)
    np.testing.assert_array_equal(act.leaky_relu_prime(x, 0.1), [0.1, 0.1, 1.0])
    np.testing.assert_array_equal(act.identity(x), x)
    np.testing.assert_array_equal(act.identity_prime(x), [1.0, 1.0, 1.0])
    assert act.sigmoid(0.0) == 0.5 and act.sigmoid_prime(0.0) == 0.25  # the largest sigmoid slope
    assert act.sigmoid(2.0) == pytest.approx(1 / (1 + math.exp(-2.0)), rel=1e-15)
    assert act.tanh_prime(0.0) == 1.0
    assert act.tanh(0.5) == pytest.approx(math.tanh(0.5), rel=1e-15)


def test_sigmoid_symmetry():
    x = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(act.sigmoid(-x), 1.0 - act.sigmoid(x), atol=1e-15)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("name", NAMES)
def test_extreme_inputs_give_finite_values_without_warnings(name):
    f, f_prime = get_activation(name)
    x = np.array([-1e308, -1000.0, -745.0, 0.0, 745.0, 1000.0, 1e308])
    assert np.all(np.isfinite(f(x)))
    assert np.all(np.isfinite(f_prime(x)))


@pytest.mark.filterwarnings("error")
def test_sigmoid_limits_for_large_inputs():
    np.testing.assert_array_equal(act.sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])
    np.testing.assert_array_equal(act.sigmoid_prime(np.array([-1000.0, 1000.0])), [0.0, 0.0])
    assert act.sigmoid(-700.0) == pytest.approx(math.exp(-700.0), rel=1e-12)  # not rounded to 0
    np.testing.assert_array_equal(act.tanh(np.array([-1000.0, 1000.0])), [-1.0, 1.0])


@pytest.mark.parametrize("name", NAMES)
def test_shape_and_dtype_are_kept(name):
    f, f_prime = get_activation(name)
    x = np.arange(-6, 6).reshape(3, 4)  # ints in, float64 out
    for out in (f(x), f_prime(x)):
        assert out.shape == (3, 4) and out.dtype == np.float64


def test_identity_returns_a_copy():
    x = np.array([1.0, 2.0])
    y = act.identity(x)
    y[0] = 99.0
    assert x[0] == 1.0


def test_unknown_activation_lists_the_valid_names():
    with pytest.raises(ValueError) as err:
        get_activation("softsign")
    message = str(err.value)
    assert "unknown activation 'softsign'" in message
    assert "identity, leaky_relu, relu, sigmoid, tanh" in message


def test_activation_name_must_be_a_string():
    with pytest.raises(TypeError, match="activation must be a name, one of: identity, .*; got function"):
        get_activation(act.relu)
