"""Checkers for notebook 06 (activation functions): the sigmoid's slope, the leaky-ReLU backward pass.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numpy as np

from ._runner import Case, run_cases

__all__ = ["check_sigmoid_prime", "check_leaky_relu_backward", "check_relu_backward"]


def _sigmoid(x):
    # exp of a negative number only: no overflow for large |x|
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_prime_case(label, x):
    s = _sigmoid(x)
    alternatives = [
        (x * (1 - x), "you applied s * (1 - s) to x itself; first compute s = sigmoid(x)"),
        (s, "that is sigmoid(x); its SLOPE is sigmoid(x) * (1 - sigmoid(x))"),
        (1 - s**2, "1 - s**2 is the slope of tanh; the sigmoid's is s * (1 - s)"),
        (s * (1 + s), "a sign slipped: the slope is s * (1 - s), not s * (1 + s)"),
    ]
    return Case(
        label,
        (x,),
        s * (1 - s),
        names=("slope",),
        diag={"slope": {"alternatives": alternatives}},
        hint="sigmoid'(x) = s * (1 - s) with s = sigmoid(x); at most 0.25 (at x = 0)",
    )


def check_sigmoid_prime(fn):
    """Check ``fn(x) -> sigmoid'(x)``, elementwise on an array x of any shape.

    Returns s * (1 - s) with s = 1 / (1 + exp(-x)), same shape as x (any correct formula
    passes, e.g. exp(-x) / (1 + exp(-x))**2). float32 answers are judged at float32
    precision (see diagnose.close).
    """
    rng = np.random.default_rng(110)
    cases = [
        _sigmoid_prime_case("x = [0, 2, -2]", np.array([0.0, 2.0, -2.0])),
        _sigmoid_prime_case("shape (2, 3)", np.array([[-1.0, 0.5, 3.0], [4.0, -0.25, 1.0]])),
        _sigmoid_prime_case("random, shape (6,), some large |x|", rng.normal(0, 10, size=6)),
    ]
    return run_cases("check_sigmoid_prime", fn, cases, ("x",))


def _unambiguous(alternatives, expected):
    """Keep only the (wrong answer, hint) pairs whose wrong answer no other pair (nor the answer) shares."""
    same = lambda a, b: np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-9, atol=1e-12)  # noqa: E731
    return [
        (w, h)
        for i, (w, h) in enumerate(alternatives)
        if not same(w, expected) and not any(same(w, v) for j, (v, _) in enumerate(alternatives) if j != i)
    ]


def _leaky_case(label, z, dout, slope):
    local = np.where(z > 0, 1.0, slope)
    alternatives = [
        (dout * (z > 0), f"that is ReLU's backward pass: for z <= 0 the slope is {slope:g}, not 0"),
        (
            local,
            "you returned only the local slope: multiply it by the upstream gradient dout "
            "(chain rule: dz = f'(z) * dout)",
        ),
        (
            dout * np.where(z >= 0, 1.0, slope),
            "at z = 0 exactly, this course uses the small slope: test z > 0, not z >= 0",
        ),
        (
            dout * np.where(z > 0, z, slope * z),
            "you multiplied by leaky_relu(z), the OUTPUT; multiply by its SLOPE: 1 where z > 0, else the small slope",
        ),
        (np.where(dout > 0, dout, slope * dout), "the mask comes from the INPUT z, not from dout"),
        (
            dout * np.where(z > 0, slope, 1.0),
            "the two sides are swapped: slope 1 where z > 0, the small slope where z <= 0",
        ),
        (dout * np.where(z > 0, 1.0, 0.01), f"use the argument slope (here {slope:g}), not a fixed 0.01"),
    ]
    return Case(
        label,
        (z, dout, slope),
        dout * local,
        names=("dz",),
        diag={"dz": {"dout": dout, "alternatives": _unambiguous(alternatives, dout * local)}},
        hint="dz = dout where z > 0, and slope * dout elsewhere",
    )


def check_leaky_relu_backward(fn):
    """Check ``fn(z, dout, slope) -> dz``: backward of a = z if z > 0 else slope * z.

    z: the INPUT of leaky ReLU, any shape; dout: upstream gradient dE/da, same shape;
    slope: the small positive slope for z <= 0 (0.01 by default in the package).
    Returns dz = dout * (1 where z > 0, else slope); the slope at exactly z = 0 is the small
    one, as in backprop_lessons.activations.leaky_relu_prime. Do not change dout in place.
    """
    rng = np.random.default_rng(112)
    cases = [
        _leaky_case(
            "z = [-2, 0, 3, -0.5], slope 0.01", np.array([-2.0, 0.0, 3.0, -0.5]), np.array([1.5, -1.0, 2.0, 0.8]), 0.01
        ),
        _leaky_case(
            "shape (2, 3), slope 0.2", np.array([[0.5, -1.0, 2.0], [-0.1, 3.0, -4.0]]), rng.normal(size=(2, 3)), 0.2
        ),
        _leaky_case("random, shape (8,), slope 0.1", rng.normal(size=8), rng.normal(size=8), 0.1),
    ]
    return run_cases("check_leaky_relu_backward", fn, cases, ("z", "dout", "slope"))


def _relu_case(label, x, dout):
    alternatives = [
        (dout * (x >= 0), "at x = 0 exactly, this course takes ReLU's slope as 0: use x > 0, not x >= 0"),
        (dout * np.maximum(x, 0), "you multiplied by relu(x); multiply by its SLOPE: 1 where x > 0, else 0"),
        (np.maximum(dout, 0), "the mask comes from the INPUT x, not from dout: dout * (x > 0)"),
        (dout * (x < 0), "the mask is reversed: gradient flows where x > 0"),
    ]
    return Case(
        label,
        (x, dout),
        dout * (x > 0),
        names=("dx",),
        diag={"dx": {"dout": dout, "alternatives": alternatives}},
        hint="dx = dout where x > 0, and 0 elsewhere",
    )


def check_relu_backward(fn):
    """Check ``fn(x, dout) -> dx``: backward of out = relu(x) = max(x, 0).

    x: the INPUT of relu, any shape; dout: upstream gradient, same shape.
    Returns dx = dout * (x > 0) (slope 0 at x = 0). Do not change dout in place.
    """
    rng = np.random.default_rng(111)
    cases = [
        _relu_case("x = [-2, 0, 3]", np.array([-2.0, 0.0, 3.0]), np.array([1.5, -1.0, 2.0])),
        _relu_case("shape (2, 3)", np.array([[0.5, -1.0, 2.0], [-0.1, 3.0, -4.0]]), rng.normal(size=(2, 3))),
        _relu_case("random, shape (8,)", rng.normal(size=8), rng.normal(size=8)),
    ]
    return run_cases("check_relu_backward", fn, cases, ("x", "dout"))


# ----------------------------------------------------- reference solutions
def sigmoid_prime(x):
    """Slope of the sigmoid: s * (1 - s), at most 0.25."""
    s = 1.0 / (1.0 + np.exp(-x))
    return s * (1.0 - s)


def leaky_relu_backward(z, dout, slope=0.01):
    """a = z if z > 0 else slope * z: the gradient passes where z > 0 and is scaled by slope elsewhere."""
    return dout * np.where(z > 0, 1.0, slope)  # a new array: dout itself is left unchanged


def relu_backward(x, dout):
    """out = max(x, 0): the gradient passes where x > 0 and stops elsewhere."""
    return dout * (x > 0)  # a new array: dout itself is left unchanged


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {
    "check_sigmoid_prime": sigmoid_prime,
    "check_leaky_relu_backward": leaky_relu_backward,
    "check_relu_backward": relu_backward,
}
