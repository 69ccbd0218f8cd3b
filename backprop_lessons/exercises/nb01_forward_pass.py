"""Checkers for notebook 01 (the forward pass): one neuron, one layer.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numpy as np

from ._runner import Case, run_cases

__all__ = ['check_neuron_forward', 'check_layer_forward']


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


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


# ----------------------------------------------------- reference solutions
def neuron_forward(x, w, b):
    """One sigmoid neuron: x (D,), w (D,), b a number -> a number."""
    z = np.dot(w, x) + b  # weighted sum plus bias
    return 1.0 / (1.0 + np.exp(-z))  # sigmoid squashes z into (0, 1)


def layer_forward(X, W, b):
    """A linear layer on a batch: X (N, D), W (D, H), b (H,) -> (N, H)."""
    return X @ W + b  # b is broadcast: added to every row


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_neuron_forward": neuron_forward, "check_layer_forward": layer_forward}
