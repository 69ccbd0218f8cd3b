"""Checkers for notebook 09 (generalization): the L2 penalty's gradient, inverted dropout's backward pass.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numpy as np

from ._runner import Case, run_cases

__all__ = ['check_l2_gradient', 'check_dropout_backward']


def _l2_case(label, W, lam):
    alternatives = [
        (2 * lam * W,
         "twice too large: the ½ in ½·λ·ΣW² cancels the 2 from the square, so the gradient is λ·W"),
        (0.5 * lam * W, "half too small: d/dW of ½·λ·W² is ½·λ·2W = λ·W"),
        (0.5 * lam * W**2, "that is the penalty itself (per weight); its GRADIENT is λ·W"),
        (lam * W**2, "W² is inside the penalty; the gradient of ½·λ·W² is λ·W"),
        (lam * np.sign(W), "λ·sign(W) is the gradient of the L1 penalty λ·Σ|W|; for L2 it is λ·W"),
        (W + 0 * lam, "λ is missing: the gradient is λ·W"),
        (lam * np.sum(W), "the gradient has one entry per weight (the shape of W): do not sum; dW = λ·W"),
        (0.5 * lam * np.sum(W**2),
         "that is the penalty ½·λ·ΣW² (one number); its gradient has the shape of W: λ·W"),
        (-lam * W, "wrong sign: the penalty grows as |W| grows, so its gradient is +λ·W "
                   "(the update w − lr·λ·W then pulls each weight towards 0)"),
    ]
    alternatives = [(wrong, hint) for wrong, hint in alternatives if not np.allclose(wrong, lam * W)]
    return Case(label, (W, lam), lam * W, names=("dW",), diag={"dW": {"alternatives": alternatives}},
                hint="d/dW of ½·λ·ΣW² is λ·W, one entry per weight")


def check_l2_gradient(fn):
    """Check ``fn(W, lam) -> dW``: the gradient of the L2 penalty 0.5 * lam * sum(W**2).

    W: a weight array of any shape; lam: λ >= 0. Returns lam * W, the shape of W:
    what ``train(..., l2=lam)`` adds to every weight gradient.
    """
    rng = np.random.default_rng(115)
    cases = [
        _l2_case("W (2, 2), λ = 0.1", np.array([[1.0, -2.0], [0.5, 3.0]]), 0.1),
        _l2_case("random W (3, 4), λ = 0.01", rng.normal(size=(3, 4)), 0.01),
        _l2_case("a vector (5,), λ = 1", rng.normal(size=5), 1.0),
    ]
    return run_cases("check_l2_gradient", fn, cases, ("W", "lam"))


def _dropout_case(label, dout, keep, p):
    expected = dout * keep / (1.0 - p)
    with np.errstate(all="ignore"):  # dout / p at p = 0: that mistake is simply not offered there
        alternatives = [
            (dout * keep, "you forgot to rescale by 1/(1 − p): the forward pass multiplied every kept unit "
                          "by 1/(1 − p), so its gradient gets the same factor"),
            (dout * keep * (1.0 - p), "multiply by 1/(1 − p), not by (1 − p)"),
            (dout * keep / p, "p is the probability of DROPPING a unit; kept units were scaled by 1/(1 − p)"),
            (dout * ~keep / (1.0 - p), "the mask is reversed: units with keep == True pass their gradient, "
                                       "dropped ones get 0"),
            (dout / (1.0 - p), "the dropped units must get NO gradient: multiply by the mask keep too"),
            (dout + 0.0, "dX = dout only in eval mode; in training, multiply by the mask and by 1/(1 − p)"),
        ]
    alternatives = [(wrong, hint) for wrong, hint in alternatives
                    if np.all(np.isfinite(wrong)) and not np.allclose(wrong, expected)]
    return Case(label, (dout, keep, p), expected, names=("dX",),
                diag={"dX": {"dout": dout, "alternatives": alternatives}},
                hint="dX = dout · keep / (1 − p)")


def check_dropout_backward(fn):
    """Check ``fn(dout, keep, p) -> dX``: the backward pass of inverted dropout in training mode.

    dout: (N, D) upstream gradient. keep: (N, D) boolean mask, True where the unit was
    kept (drawn as ``rng.random(shape) >= p``). p: the DROP probability, 0 <= p < 1.
    The forward pass was out = X * keep / (1 - p), so dX = dout * keep / (1 - p).
    (``layers.Dropout`` stores the product keep / (1 - p) as its ``mask``.)
    """
    rng = np.random.default_rng(116)

    def case(label, shape, p):
        return _dropout_case(label, rng.normal(size=shape), rng.random(shape) >= p, p)

    cases = [
        _dropout_case("2 x 3, p = 0.2", np.array([[1.0, -2.0, 0.5], [3.0, 1.5, -1.0]]),
                      np.array([[True, False, True], [True, True, False]]), 0.2),
        case("random (4, 5), p = 0.3", (4, 5), 0.3),
        case("random (3, 6), p = 0.6", (3, 6), 0.6),
        _dropout_case("p = 0: nothing dropped", np.array([[0.5, -1.0]]), np.array([[True, True]]), 0.0),
    ]
    return run_cases("check_dropout_backward", fn, cases, ("dout", "keep", "p"))


# ----------------------------------------------------- reference solutions
def l2_gradient(W, lam):
    """Gradient of the L2 penalty 0.5 * lam * sum(W**2): the 0.5 cancels the 2 of the square."""
    return lam * W


def dropout_backward(dout, keep, p):
    """Inverted dropout, training mode: out = X * keep / (1 - p), so dX = dout * keep / (1 - p)."""
    return dout * keep / (1.0 - p)  # dropped units (keep False) get no gradient


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_l2_gradient": l2_gradient, "check_dropout_backward": dropout_backward}
