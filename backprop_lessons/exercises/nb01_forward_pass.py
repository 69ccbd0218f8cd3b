"""Checkers for notebook 01 (the forward pass): a neuron's decision line, a network of any depth.

``check_neuron_forward`` and ``check_layer_forward`` are kept for self-study: the notebook's own
cells compute a neuron and a layer, so asking for them again would be a copy.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it, and the
cases are built so that no two mistakes share a signature (a hint is given only
when it is unambiguous). Reference solutions (for ``show_solution``) are at the
bottom: try first!
"""

import numpy as np

from ._runner import Case, run_cases
from .diagnose import close

__all__ = ["check_line_x2", "check_mlp_forward", "check_neuron_forward", "check_layer_forward"]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _distinct(alternatives, expected):
    """Keep only the (wrong answer, hint) pairs that are unambiguous on this case.

    A hint names a mistake only if its wrong answer differs from the right answer and
    from every other listed wrong answer. Where two mistakes give the same numbers
    (w·x = 0 makes "subtracted b" look like "sigmoid(-z)"), neither is named and the
    checker says what differs instead.
    """

    def same(a, b):
        a, b = np.asarray(a, float), np.asarray(b, float)
        return a.shape == b.shape and close(a, b)

    return [
        (wrong, hint)
        for i, (wrong, hint) in enumerate(alternatives)
        if not same(wrong, expected)
        and not any(same(wrong, other) for j, (other, _) in enumerate(alternatives) if j != i)
    ]


def _neuron_case(label, x, w, b):
    x, w = np.asarray(x, float), np.asarray(w, float)
    wx = float(w @ x)
    z = wx + b
    alternatives = [
        (z, "you returned z = w·x + b; squash it with the sigmoid: 1 / (1 + np.exp(-z))"),
        (_sigmoid(-z), "sigmoid(-z): check the sign inside the exponential, sigmoid(z) = 1 / (1 + exp(-z))"),
        (_sigmoid(wx - b), "you subtracted the bias: z = w·x + b"),
        (_sigmoid(wx), "the bias b is missing: z = w·x + b"),
        (1.0 + np.exp(-z), "you forgot the 1 / (...): sigmoid(z) = 1 / (1 + exp(-z))"),
        (np.tanh(z), "that is tanh(z); this neuron uses the sigmoid 1 / (1 + exp(-z))"),
        (
            _sigmoid(w * x + b),
            "you multiplied w and x elementwise but did not add the products up: use np.dot(w, x) (or (w * x).sum())",
        ),
        (
            np.array([_sigmoid(z)]),
            "right value, but inside an array of shape (1,): return a single "
            "number (np.dot(w, x) of two (D,) arrays already is one)",
        ),
    ]
    return Case(
        label,
        (x, w, float(b)),
        _sigmoid(z),
        names=("output",),
        diag={"output": {"alternatives": _distinct(alternatives, _sigmoid(z))}},
        hint="a = sigmoid(z) with z = w·x + b",
    )


def check_neuron_forward(fn):
    """Check ``fn(x, w, b) -> a``: one sigmoid neuron on one example.

    x: (D,) one example. w: (D,) weights. b: a float. Returns a single number
    a = sigmoid(w·x + b) = 1 / (1 + exp(-(w·x + b))).
    """
    rng = np.random.default_rng(101)
    cases = [
        # w·x = 1 and b = 0.1: sigmoid(-z), a subtracted b and a missing b all differ
        _neuron_case("D = 2, x = [1, 2]", [1.0, 2.0], [0.5, 0.25], 0.1),
        _neuron_case("D = 3, a negative z", [2.0, -1.0, 0.5], [-1.0, 0.5, 2.0], -0.5),
        _neuron_case("random, D = 6", rng.normal(size=6), rng.normal(size=6), float(rng.normal())),
    ]
    return run_cases("check_neuron_forward", fn, cases, ("x", "w", "b"))


def _line_case(label, x1, w, b):
    x1, w = np.asarray(x1, float), np.asarray(w, float)
    x2 = -(w[0] * x1 + b) / w[1]  # from w1 x1 + w2 x2 + b = 0
    alternatives = [
        ((w[0] * x1 + b) / w[1], "the minus sign is missing: w1 x1 + w2 x2 + b = 0 gives w2 x2 = -(w1 x1 + b)"),
        (-(w[0] * x1) / w[1], "the bias b is missing: the line is w1 x1 + w2 x2 + b = 0"),
        (-(w[0] * x1 - b) / w[1], "check the sign of b: x2 = -(w1 x1 + b) / w2"),
        (-(w[0] * x1 + b) / w[0], "divide by w2, the weight of x2, not by w1"),
        (-(w[1] * x1 + b) / w[0], "w1 and w2 are swapped: w[0] multiplies x1, w[1] multiplies x2"),
        (-w[0] * x1 + b / w[1], "only part of it is divided by w2: x2 = -(w1 x1 + b) / w2"),
        (-w[0] * x1 / w[1] + b, "only part of it is divided by w2: x2 = -(w1 x1 + b) / w2"),
    ]
    return Case(
        label,
        (x1, w, float(b)),
        x2,
        names=("x2",),
        diag={"x2": {"alternatives": _distinct(alternatives, x2)}},
        hint="on the line z = 0: w1 x1 + w2 x2 + b = 0, solve it for x2",
    )


def check_line_x2(fn):
    """Check ``fn(x1, w, b) -> x2``: the neuron's decision line w1 x1 + w2 x2 + b = 0, solved for x2.

    x1: (M,) points on the horizontal axis. w: (2,), with w[1] != 0. b: a number.
    Returns x2 (M,): for each x1, the x2 at which the line passes.
    """
    rng = np.random.default_rng(107)
    cases = [
        _line_case("the fruit neuron, w = (2, -3), b = -0.5", [0.0, 0.25, 1.0], [2.0, -3.0], -0.5),
        _line_case("w = (1, 4), b = 2", [-2.0, 0.0, 3.0, 5.0], [1.0, 4.0], 2.0),
        _line_case("random", rng.normal(size=5), np.array([rng.normal(), 1.5 + rng.random()]), float(rng.normal())),
    ]
    return run_cases("check_line_x2", fn, cases, ("x1", "w", "b"))


def _forward(X, params, act=_sigmoid, last=None, first=None):
    """The forward pass, with switches that build the typical mistakes."""
    A = X if first is None else first(X)
    for k, (W, b) in enumerate(params):
        Z = A @ W + b  # (N, D_k) @ (D_k, D_k+1) -> (N, D_k+1)
        A = act(Z) if k < len(params) - 1 else (Z if last is None else last(Z))
    return A


class _Params(list):
    """A list of (W, b) pairs that prints as its shapes (in the hint after a shape error)."""

    def __str__(self):
        return "[" + ", ".join(f"(W {W.shape}, b {b.shape})" for W, b in self) + "]"

    __repr__ = __str__


def _mlp_case(label, X, params):
    params = _Params((np.asarray(W, float), np.asarray(b, float)) for W, b in params)
    out = _forward(X, params)  # (N, C)
    identity = lambda a: a  # noqa: E731
    alternatives = [
        (
            _forward(X, params, last=_sigmoid),
            "the last layer has no activation: return its Z = A @ W + b "
            "itself (a raw score), apply the sigmoid only between layers",
        ),
        (
            _forward(X, params, act=identity),
            "no activation between the layers: apply the sigmoid to every "
            "hidden layer's Z before it feeds the next layer",
        ),
        (
            _forward(X, params, first=_sigmoid),
            "you applied the sigmoid to the input X too; the activation comes after each hidden layer's weighted sum",
        ),
        (_forward(X, params, act=np.tanh), "that is tanh between the layers; this network uses the sigmoid"),
        (
            _forward(X, _Params(params[:1]), last=_sigmoid),
            "you returned the first hidden layer's output: feed it to the next layer, one (W, b) after the other",
        ),
        (_forward(X, _Params(params[:1])), "you stopped after the first layer: loop over all the (W, b) pairs"),
    ]
    shapes = " → ".join(str(s) for s in [X.shape[1]] + [W.shape[1] for W, _ in params])
    return Case(
        label,
        (X, params),
        out,
        names=("out",),
        diag={"out": {"alternatives": _distinct(alternatives, out)}},
        hint=f"widths {shapes}: each layer does A @ W + b, (N, D_k) @ (D_k, D_k+1) → (N, D_k+1), "
        "then the sigmoid, except after the last layer",
    )


def check_mlp_forward(fn):
    """Check ``fn(X, params) -> out``: the forward pass of a network of any depth.

    X: (N, D). params: a list of (W, b) pairs, W (D_k, D_k+1), b (D_k+1,). The sigmoid
    follows every layer except the last, whose Z is returned: out (N, C).
    """
    rng = np.random.default_rng(105)
    X2 = np.array([[1.0, -1.0], [0.5, 2.0], [0.0, 0.0]])
    two = [
        (np.array([[1.0, -0.5, 2.0], [0.5, 1.0, -1.0]]), np.array([0.1, -0.2, 0.0])),
        (np.array([[1.5], [-2.0], [0.5]]), np.array([0.3])),
    ]
    three = [
        (rng.normal(size=(3, 4)), rng.normal(size=4)),
        (rng.normal(size=(4, 5)), rng.normal(size=5)),
        (rng.normal(size=(5, 2)), rng.normal(size=2)),
    ]
    cases = [
        _mlp_case("one layer, D = 2 → 1: just X @ W + b", X2, [(np.array([[2.0], [-1.0]]), np.array([0.5]))]),
        _mlp_case("two layers, 2 → 3 → 1", X2, two),
        _mlp_case("three layers, 3 → 4 → 5 → 2, random", rng.normal(size=(4, 3)), three),
    ]
    return run_cases("check_mlp_forward", fn, cases, ("X", "params"))


def _layer_case(label, X, W, b):
    out = X @ W + b  # (N, H)
    alternatives = [
        (X @ W, "the bias b is missing: out = X @ W + b"),
        (X @ W - b, "add the bias, do not subtract it: out = X @ W + b"),
        (_sigmoid(X @ W + b), "this layer is linear: no activation function here, just X @ W + b"),
    ]
    return Case(
        label,
        (X, W, b),
        out,
        names=("out",),
        diag={"out": {"alternatives": _distinct(alternatives, out), "batch_size": X.shape[0]}},
        hint="out = X @ W + b: (N, D) @ (D, H) gives (N, H), and b (H,) is added to every row",
    )


def check_layer_forward(fn):
    """Check ``fn(X, W, b) -> out``: a fully connected (linear) layer on a batch.

    X: (N, D) examples, one per row. W: (D, H). b: (H,). Returns out = X @ W + b, (N, H).
    (Notebook 01 no longer asks for it, because section 3 writes this line; kept for self-study.)
    """
    rng = np.random.default_rng(102)
    cases = [
        _layer_case(
            "one example, N = 1, D = 2, H = 3",
            np.array([[1.0, 2.0]]),
            np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]]),
            np.array([0.1, 0.2, 0.3]),
        ),
        _layer_case(
            "a batch, N = 4, D = 3, H = 2",
            np.arange(12.0).reshape(4, 3) / 4 - 1,
            np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 1.0]]),
            np.array([1.0, -2.0]),
        ),
        _layer_case(
            "random, N = 6, D = 5, H = 3", rng.normal(size=(6, 5)), rng.normal(size=(5, 3)), rng.normal(size=3)
        ),
    ]
    return run_cases("check_layer_forward", fn, cases, ("X", "W", "b"))


# ----------------------------------------------------- reference solutions
def line_x2(x1, w, b):
    """The decision line w·x + b = 0 solved for x2: x1 (M,), w (2,), b a number -> x2 (M,)."""
    return -(w[0] * x1 + b) / w[1]  # w1 x1 + w2 x2 + b = 0


def neuron_forward(x, w, b):
    """One sigmoid neuron: x (D,), w (D,), b a number -> a number."""
    z = np.dot(w, x) + b  # weighted sum plus bias
    return 1.0 / (1.0 + np.exp(-z))  # sigmoid squashes z into (0, 1)


def mlp_forward(X, params):
    """Forward pass: X (N, D), params [(W, b), ...] -> scores (N, C); sigmoid between layers."""
    A = X
    for k, (W, b) in enumerate(params):
        Z = A @ W + b  # (N, D_k) @ (D_k, D_k+1) -> (N, D_k+1)
        A = 1.0 / (1.0 + np.exp(-Z)) if k < len(params) - 1 else Z  # no activation after the last layer
    return A


def layer_forward(X, W, b):
    """A linear layer on a batch: X (N, D), W (D, H), b (H,) -> (N, H)."""
    return X @ W + b  # b is broadcast: added to every row


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {
    "check_line_x2": line_x2,
    "check_mlp_forward": mlp_forward,
    "check_neuron_forward": neuron_forward,
    "check_layer_forward": layer_forward,
}
