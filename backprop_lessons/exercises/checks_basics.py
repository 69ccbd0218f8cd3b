"""Checkers for notebooks 01 (a neuron, a layer) and 02 (the loss and its slope).

Each checker takes the learner's function, runs it on at least three cases
(a small hand-made one, a batch, random shapes), prints one ✓/✗ line per case
and returns a CheckResult. The right answers are computed here with plain
numpy, independently of the package's own layers and losses.
"""

import numpy as np

from ._runner import Case, run_cases

__all__ = ["check_neuron_forward", "check_layer_forward", "check_mse", "check_mse_gradient"]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ----------------------------------------------------------------- notebook 01
def _neuron_case(label, x, w, b):
    x, w = np.asarray(x, float), np.asarray(w, float)
    z = float(w @ x + b)
    alternatives = [
        (z, "you returned z = w·x + b; squash it with the sigmoid: 1 / (1 + np.exp(-z))"),
        (_sigmoid(-z), "sigmoid(-z): check the sign inside the exponential, sigmoid(z) = 1 / (1 + exp(-z))"),
        (_sigmoid(float(w @ x)), "the bias b is missing: z = w·x + b"),
        (1.0 + np.exp(-z), "you forgot the 1 / (...): sigmoid(z) = 1 / (1 + exp(-z))"),
        (np.tanh(z), "that is tanh(z); this neuron uses the sigmoid 1 / (1 + exp(-z))"),
        (_sigmoid(w * x + b), "you multiplied w and x elementwise but did not add the products up: "
                              "use np.dot(w, x) (or (w * x).sum())"),
    ]
    return Case(label, (x, w, float(b)), _sigmoid(z), names=("output",),
                diag={"output": {"alternatives": alternatives}},
                hint="a = sigmoid(z) with z = w·x + b")


def check_neuron_forward(fn):
    """Check ``fn(x, w, b) -> a``: one sigmoid neuron on one example.

    x: (D,) one example. w: (D,) weights. b: a float. Returns a single number
    a = sigmoid(w·x + b) = 1 / (1 + exp(-(w·x + b))).
    """
    rng = np.random.default_rng(101)
    cases = [
        _neuron_case("D = 2, x = [1, 2]", [1.0, 2.0], [0.5, -0.25], 0.1),
        _neuron_case("D = 3, a negative z", [2.0, -1.0, 0.5], [-1.0, 0.5, 2.0], -0.5),
        _neuron_case("random, D = 6", rng.normal(size=6), rng.normal(size=6), float(rng.normal())),
    ]
    return run_cases("check_neuron_forward", fn, cases, ("x", "w", "b"))


def _layer_case(label, X, W, b):
    out = X @ W + b  # (N, H)
    alternatives = [
        (X @ W, "the bias b is missing: out = X @ W + b"),
        (X @ W - b, "add the bias, do not subtract it: out = X @ W + b"),
        (_sigmoid(X @ W + b), "this layer is linear: no activation function here, just X @ W + b"),
    ]
    return Case(label, (X, W, b), out, names=("out",),
                diag={"out": {"alternatives": alternatives, "batch_size": X.shape[0]}},
                hint="out = X @ W + b: (N, D) @ (D, H) gives (N, H), and b (H,) is added to every row")


def check_layer_forward(fn):
    """Check ``fn(X, W, b) -> out``: a fully connected (linear) layer on a batch.

    X: (N, D) examples, one per row. W: (D, H). b: (H,). Returns out = X @ W + b, (N, H).
    """
    rng = np.random.default_rng(102)
    cases = [
        _layer_case("one example, N = 1, D = 2, H = 3", np.array([[1.0, 2.0]]),
                    np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]]), np.array([0.1, 0.2, 0.3])),
        _layer_case("a batch, N = 4, D = 3, H = 2", np.arange(12.0).reshape(4, 3) / 4 - 1,
                    np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 1.0]]), np.array([1.0, -2.0])),
        _layer_case("random, N = 6, D = 5, H = 3", rng.normal(size=(6, 5)),
                    rng.normal(size=(5, 3)), rng.normal(size=3)),
    ]
    return run_cases("check_layer_forward", fn, cases, ("X", "W", "b"))


# ----------------------------------------------------------------- notebook 02
def _mse_case(label, y_hat, y):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    err = y_hat - y
    E = float(np.mean(err**2))
    alternatives = [
        (float(np.mean(err)), "you forgot to square the errors: E = mean((y_hat - y)**2)"),
        (float(np.mean(np.abs(err))), "that is the mean ABSOLUTE error; square the errors instead"),
        (float(np.sqrt(E)), "no square root: that is the RMSE; E is the mean of the squared errors"),
        (0.5 * E, "an extra 1/2: in this course E = mean((y_hat - y)**2), without a 1/2"),
    ]
    return Case(label, (y_hat, y), E, names=("E",),
                diag={"E": {"alternatives": alternatives, "batch_size": err.size}},
                hint="E = mean((y_hat - y)**2): square each error, then average")


def check_mse(fn):
    """Check ``fn(y_hat, y) -> E``: the mean squared error, a single number.

    y_hat, y: arrays of the same shape, (N,) or (N, 1). Returns
    E = mean((y_hat - y)**2), averaged over all n = y.size entries.
    """
    rng = np.random.default_rng(103)
    cases = [
        _mse_case("n = 3", [1.0, 2.0, 3.0], [1.5, 2.0, 2.0]),
        _mse_case("a column, shape (5, 1)", np.array([[0.5], [1.0], [-1.0], [2.0], [0.0]]),
                  np.array([[1.0], [1.0], [0.0], [1.5], [-0.5]])),
        _mse_case("random, n = 7", rng.normal(size=7), rng.normal(size=7)),
    ]
    return run_cases("check_mse", fn, cases, ("y_hat", "y"))


def _mse_grad_case(label, y_hat, y):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    n = y.size
    grad = 2.0 * (y_hat - y) / n  # same shape as y_hat
    return Case(label, (y_hat, y), grad, names=("dE/dy_hat",),
                diag={"dE/dy_hat": {"batch_size": n}},
                hint="dE/dy_hat = 2 (y_hat - y) / n, one entry per prediction")


def check_mse_gradient(fn):
    """Check ``fn(y_hat, y) -> dE/dy_hat`` for E = mean((y_hat - y)**2).

    y_hat, y: arrays of the same shape, (N,) or (N, 1). Returns an array of
    the shape of y_hat: 2 (y_hat - y) / n, with n = y.size.
    """
    rng = np.random.default_rng(104)
    cases = [
        _mse_grad_case("n = 3", [1.0, 2.0, 3.0], [1.5, 2.0, 2.0]),
        _mse_grad_case("a column, shape (5, 1)", np.array([[0.5], [1.0], [-1.0], [2.0], [0.0]]),
                       np.array([[1.0], [1.0], [0.0], [1.5], [-0.5]])),
        _mse_grad_case("random, n = 7", rng.normal(size=7), rng.normal(size=7)),
    ]
    return run_cases("check_mse_gradient", fn, cases, ("y_hat", "y"))
