"""Checkers for notebooks 06 (activation slopes) and 07 (vanishing and exploding gradients).

The right answers are computed here with plain numpy (a stable sigmoid), so
they do not depend on the package's own activations module.
"""

import numpy as np

from ._runner import Case, run_cases

__all__ = ["check_sigmoid_prime", "check_relu_backward", "check_vanishing_bound", "check_clip_by_norm"]


def _sigmoid(x):
    # exp of a negative number only: no overflow for large |x|
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


# ----------------------------------------------------------------- notebook 06
def _sigmoid_prime_case(label, x):
    s = _sigmoid(x)
    alternatives = [
        (x * (1 - x), "you applied s * (1 - s) to x itself; first compute s = sigmoid(x)"),
        (s, "that is sigmoid(x); its SLOPE is sigmoid(x) * (1 - sigmoid(x))"),
        (1 - s**2, "1 - s**2 is the slope of tanh; the sigmoid's is s * (1 - s)"),
        (s * (1 + s), "a sign slipped: the slope is s * (1 - s), not s * (1 + s)"),
    ]
    return Case(label, (x,), s * (1 - s), names=("slope",),
                diag={"slope": {"alternatives": alternatives}},
                hint="sigmoid'(x) = s * (1 - s) with s = sigmoid(x); at most 0.25 (at x = 0)")


def check_sigmoid_prime(fn):
    """Check ``fn(x) -> sigmoid'(x)``, elementwise on an array x of any shape.

    Returns s * (1 - s) with s = 1 / (1 + exp(-x)), same shape as x.
    """
    rng = np.random.default_rng(110)
    cases = [
        _sigmoid_prime_case("x = [0, 2, -2]", np.array([0.0, 2.0, -2.0])),
        _sigmoid_prime_case("shape (2, 3)", np.array([[-1.0, 0.5, 3.0], [4.0, -0.25, 1.0]])),
        _sigmoid_prime_case("random, shape (6,), some large |x|", rng.normal(0, 10, size=6)),
    ]
    return run_cases("check_sigmoid_prime", fn, cases, ("x",))


def _relu_case(label, x, dout):
    alternatives = [
        (dout * (x >= 0), "at x = 0 exactly, this course takes ReLU's slope as 0: use x > 0, not x >= 0"),
        (dout * np.maximum(x, 0), "you multiplied by relu(x); multiply by its SLOPE: 1 where x > 0, else 0"),
        (np.maximum(dout, 0), "the mask comes from the INPUT x, not from dout: dout * (x > 0)"),
        (dout * (x < 0), "the mask is reversed: gradient flows where x > 0"),
    ]
    return Case(label, (x, dout), dout * (x > 0), names=("dx",),
                diag={"dx": {"dout": dout, "alternatives": alternatives}},
                hint="dx = dout where x > 0, and 0 elsewhere")


def check_relu_backward(fn):
    """Check ``fn(x, dout) -> dx``: backward of out = relu(x) = max(x, 0).

    x: the INPUT of relu, any shape; dout: upstream gradient, same shape.
    Returns dx = dout * (x > 0) (slope 0 at x = 0). Do not change dout in place.
    """
    rng = np.random.default_rng(111)
    cases = [
        _relu_case("x = [-2, 0, 3]", np.array([-2.0, 0.0, 3.0]), np.array([1.5, -1.0, 2.0])),
        _relu_case("shape (2, 3)", np.array([[0.5, -1.0, 2.0], [-0.1, 3.0, -4.0]]),
                   rng.normal(size=(2, 3))),
        _relu_case("random, shape (8,)", rng.normal(size=8), rng.normal(size=8)),
    ]
    return run_cases("check_relu_backward", fn, cases, ("x", "dout"))


# ----------------------------------------------------------------- notebook 07
def _bound_case(L):
    alternatives = [
        (0.25 * L, "you multiplied 0.25 by L; the chain rule MULTIPLIES one factor per layer: 0.25**L"),
        (0.5**L, "the sigmoid's largest slope is 0.25 (at x = 0), not 0.5"),
        (0.25 ** (L - 1), "off by one layer: one factor 0.25 per layer, L factors"),
        (0.25 ** (L + 1), "off by one layer: one factor 0.25 per layer, L factors"),
        (float(L) ** 0.25, "exponent and base swapped: 0.25**L"),
    ]
    return Case(f"L = {L}", (L,), 0.25**L, names=("bound",),
                diag={"bound": {"alternatives": alternatives}},
                hint="each sigmoid layer multiplies the gradient by at most 0.25")


def check_vanishing_bound(fn):
    """Check ``fn(L) -> 0.25**L``: the largest factor L sigmoid layers can pass back.

    L: a positive int (the number of layers). Returns a single number.
    """
    cases = [_bound_case(L) for L in (1, 3, 10, 30)]
    return run_cases("check_vanishing_bound", fn, cases, ("L",))


def _norm(grads):
    arrays = grads.values() if isinstance(grads, dict) else [grads]
    return float(np.sqrt(sum(np.sum(np.square(g)) for g in arrays)))


def _clip_case(label, grads, max_norm):
    norm = _norm(grads)
    scale = min(1.0, max_norm / norm)
    mistakes = [
        (lambda g: np.clip(g, -max_norm, max_norm),
         "you clipped each entry; clip the NORM instead: scale the whole gradient by max_norm / norm"),
        (lambda g: g * max_norm / norm, "you scaled a small gradient UP; clip only when norm > max_norm"),
        (lambda g: g / norm, "you normalised to length 1; scale to length max_norm: g * max_norm / norm"),
        (lambda g: g * norm / max_norm, "your ratio is upside down: g * max_norm / norm"),
        (lambda g: g * min(1.0, max_norm / np.sqrt(np.sum(g**2))),
         "you clipped each array by its own norm; use ONE global norm over all arrays together"),
    ]
    if isinstance(grads, dict):
        expected = {k: g * scale for k, g in grads.items()}
        diag = {k: {"alternatives": [(m(g), h) for m, h in mistakes if not np.allclose(m(g), g * scale)]}
                for k, g in grads.items()}
        names = ()
    else:
        expected = grads * scale
        diag = {"clipped": {"alternatives": [(m(grads), h) for m, h in mistakes
                                             if not np.allclose(m(grads), expected)]}}
        names = ("clipped",)
    return Case(label, (grads, max_norm), expected, names=names, diag=diag,
                hint="norm = sqrt(sum of all squares); if norm > max_norm, multiply by max_norm / norm")


def check_clip_by_norm(fn):
    """Check ``fn(grads, max_norm) -> clipped``: gradient clipping by the global norm.

    grads: an array, or a dict name -> array. max_norm: a positive number.
    Returns the same kind of thing: unchanged if the total L2 norm (over every
    entry of every array) is at most max_norm, otherwise scaled by max_norm / norm.
    """
    rng = np.random.default_rng(112)
    cases = [
        _clip_case("[3, 4] with max_norm = 1", np.array([3.0, 4.0]), 1.0),
        _clip_case("[0.3, -0.4] with max_norm = 1 (small: unchanged)", np.array([0.3, -0.4]), 1.0),
        _clip_case("a (3, 4) array with max_norm = 2", rng.normal(0, 3, size=(3, 4)), 2.0),
        _clip_case("a dict {W (2, 2), b (2,)} with max_norm = 5",
                   {"W": rng.normal(0, 6, size=(2, 2)), "b": rng.normal(0, 6, size=2)}, 5.0),
    ]
    return run_cases("check_clip_by_norm", fn, cases, ("grads", "max_norm"), mutable=("grads",))
