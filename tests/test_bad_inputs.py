"""Issue 15's list of bad inputs that used to get a poor answer: each now gets one clear message.

Every case states the input and the message a learner reads (the start of it, or a part that
says what to do). The old answers are in the comments, so a regression is easy to recognise.
"""

import numpy as np
import pytest

from backprop_lessons.autograd import Value
from backprop_lessons.data import moons
from backprop_lessons.gradcheck import check_layer, numerical_gradient
from backprop_lessons.layers import Layer, mlp
from backprop_lessons.optim import SGD, clip_grad_norm, make_optimizer
from backprop_lessons.plots import plot_loss_curves
from backprop_lessons.training import train


def changes_x(x):
    x *= 2.0  # the mistake: writes into the array it was asked to read
    return float(np.sum(x))


class DoublesItsInput(Layer):
    """A layer whose forward changes X in place (X *= 2)."""

    def forward(self, X):
        X *= 2.0
        return X

    def backward(self, dout):
        return 2.0 * dout


def float_loss(y_hat, y):
    return float(np.mean((y_hat - y.reshape(y_hat.shape)) ** 2))  # forgot the gradient


X, Y = moons(n=40, rng=0)

CASES = [
    # numerical_gradient on an f that changes x: was [-13325.6, ...] with x left altered
    (
        "numerical_gradient(f that changes x)",
        lambda: numerical_gradient(changes_x, np.array([1.0, 2.0])),
        ValueError,
        "f changed x in place (x[0] was 1.00001 before the call and 2.00002 after)",
    ),
    # check_layer on such a layer: was {'X': 1.0}
    (
        "check_layer(layer that changes X)",
        lambda: check_layer(DoublesItsInput(), np.ones((3, 2))),
        ValueError,
        "DoublesItsInput.forward changed its input X in place, so no gradient can be checked",
    ),
    # SGD.step with int arrays: was numpy's UFuncTypeError
    (
        "SGD.step(int arrays)",
        lambda: SGD(0.1).step({"W": np.ones(3, dtype=int)}, {"W": np.ones(3, dtype=int)}),
        TypeError,
        "params['W'] must be a float numpy array (it is changed in place), got an array of dtype int64",
    ),
    # SGD.step with lists: was 'list' object has no attribute 'shape'
    (
        "SGD.step(lists)",
        lambda: SGD(0.1).step({"W": [1.0, 2.0]}, {"W": [0.1, 0.2]}),
        TypeError,
        "params['W'] must be a float numpy array (it is changed in place), got list [1.0, 2.0]",
    ),
    (
        "clip_grad_norm(int arrays)",
        lambda: clip_grad_norm({"W": np.array([3, 4])}, 1.0),
        TypeError,
        "grads['W'] must be a float numpy array (it is changed in place), got an array of dtype int64",
    ),
    (
        "clip_grad_norm(list)",
        lambda: clip_grad_norm([3.0, 4.0], 1.0),
        TypeError,
        "grads must be a float numpy array (it is changed in place), got list [3.0, 4.0]",
    ),
    # make_optimizer(['sgd']): was unhashable type: 'list'
    (
        "make_optimizer(['sgd'])",
        lambda: make_optimizer(["sgd"], 0.1),
        TypeError,
        "optimizer must be a name, one of: adam, momentum, sgd; got list ['sgd']",
    ),
    # train(optimizer=SGD), the class: was a missing-argument error
    (
        "train(optimizer=SGD)",
        lambda: train(mlp([2, 3, 1]), X, Y, loss="bce", optimizer=SGD, epochs=1),
        TypeError,
        "optimizer=SGD is a class; pass an optimizer object such as SGD(lr=0.1), or a name such as 'sgd'",
    ),
    # a custom loss returning a float: was cannot unpack non-iterable float
    (
        "train(loss=returns a float)",
        lambda: train(mlp([2, 3, 1]), X, Y, loss=float_loss, epochs=1),
        TypeError,
        "float_loss must return a pair (loss, dy_hat): the loss as a number and dL/dy_hat with the "
        "predictions' shape (40, 1); it returned float",
    ),
    # mlp(2): was 'int' object is not iterable
    (
        "mlp(2)",
        lambda: mlp(2),
        TypeError,
        "sizes must be a list of layer widths [D, H1, ..., C] such as [2, 16, 1], got int 2",
    ),
    # plot_loss_curves('abc'): was could not convert string to float
    (
        "plot_loss_curves('abc')",
        lambda: plot_loss_curves("abc"),
        TypeError,
        "plot_loss_curves takes a History or a list of losses (one per epoch), got str 'abc'",
    ),
    # check_layer("relu", X): was 'str' object has no attribute 'forward'
    (
        "check_layer('relu', X)",
        lambda: check_layer("relu", np.ones((3, 2))),
        TypeError,
        "check_layer needs a layer object (with forward and backward), got str 'relu'; "
        "for an activation pass its layer, e.g. activation_layer('relu') from backprop_lessons.layers",
    ),
    # Value(nan) / Value(inf): were accepted silently
    (
        "Value(nan)",
        lambda: Value(float("nan")),
        ValueError,
        "Value needs a finite number, got nan; a NaN or inf input makes every gradient NaN",
    ),
    (
        "Value(inf)",
        lambda: Value(float("inf")),
        ValueError,
        "Value needs a finite number, got inf; a NaN or inf input makes every gradient NaN",
    ),
]


@pytest.mark.parametrize("what, call, error, message", CASES, ids=[case[0] for case in CASES])
def test_each_bad_input_gets_one_clear_message(what, call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value), str(info.value)


def test_numerical_gradient_hands_x_back_unchanged_after_the_complaint():
    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError):
        numerical_gradient(changes_x, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_a_function_that_only_reads_x_is_still_differentiated():
    x = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(numerical_gradient(lambda v: float(np.sum(v**3)), x), 3 * x**2, rtol=1e-9)


def print_messages():  # pragma: no cover - for the closing note: python tests/test_bad_inputs.py
    for what, call, _, _ in CASES:
        try:
            call()
        except Exception as err:  # noqa: BLE001 - we print whatever the learner would read
            print(f"- `{what}` -> {type(err).__name__}: {err}")


if __name__ == "__main__":  # pragma: no cover
    print_messages()
