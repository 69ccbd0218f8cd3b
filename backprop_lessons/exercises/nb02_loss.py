"""Checkers for notebook 02 (loss): the mean squared error, its slopes, a line's gradient.

The right answers are computed here with plain numpy, independently of the package's
own losses; each typical mistake has a signature so the hint can name it. The cases
use n = 5, 6, 7 predictions, so that no two mistakes share a signature (with n = 3,
dividing by n - 1 = 2 looks like "forgot the factor 2 and the 1/n"), and a hint is
given only when it is unambiguous. Reference solutions (for ``show_solution``) are at
the bottom: try first!
"""

import numpy as np

from ._runner import Case, run_cases
from .nb01_forward_pass import _distinct

__all__ = ["check_mse", "check_mse_gradient", "check_line_gradients"]

_ONE_NUMBER = (
    "right value, but inside an array of shape {shape}: return a single number "
    "(np.mean(...) without axis=, or float(...))"
)

_Y5 = (np.array([[0.5], [1.0], [-1.0], [2.0], [0.0]]), np.array([[1.0], [1.0], [0.0], [1.5], [-0.5]]))


def _mse_case(label, y_hat, y):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    err = y_hat - y
    n = err.size
    E = float(np.mean(err**2))
    alternatives = [
        (float(np.mean(err)), "you forgot to square the errors: E = mean((y_hat - y)**2)"),
        (float(np.mean(np.abs(err))), "that is the mean ABSOLUTE error; square the errors instead"),
        (float(np.sqrt(E)), "no square root: that is the RMSE; E is the mean of the squared errors"),
        (0.5 * E, "an extra 1/2: in this course E = mean((y_hat - y)**2), without a 1/2"),
        (float(np.sum(err**2)) / (n - 1), f"you divided by n - 1 = {n - 1}; the mean divides by n = {n}"),
    ]
    # E kept in an array by np.mean(..., axis=0) or keepdims=True: (1,) or (1, 1)
    alternatives += [(np.full(shape, E), _ONE_NUMBER.format(shape=shape)) for shape in sorted({(1,), (1,) * y.ndim})]
    return Case(
        label,
        (y_hat, y),
        E,
        names=("E",),
        diag={"E": {"alternatives": _distinct(alternatives, E), "batch_size": n}},
        hint="E = mean((y_hat - y)**2): square each error, then average",
    )


def check_mse(fn):
    """Check ``fn(y_hat, y) -> E``: the mean squared error, a single number.

    y_hat, y: arrays of the same shape, (N,) or (N, 1). Returns
    E = mean((y_hat - y)**2), averaged over all n = y.size entries.
    """
    rng = np.random.default_rng(103)
    cases = [
        _mse_case("n = 5", [1.0, 2.0, 3.0, 0.0, -1.0], [1.5, 2.0, 2.0, 0.5, -1.0]),
        _mse_case("a column, shape (5, 1)", *_Y5),
        _mse_case("random, n = 7", rng.normal(size=7), rng.normal(size=7)),
    ]
    return run_cases("check_mse", fn, cases, ("y_hat", "y"))


def _mse_grad_case(label, y_hat, y):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    n = y.size
    grad = 2.0 * (y_hat - y) / n  # same shape as y_hat
    alternatives = [
        (2.0 * (y_hat - y) / (n - 1), f"you divided by n - 1 = {n - 1}; the mean divides by n = {n}"),
    ]
    return Case(
        label,
        (y_hat, y),
        grad,
        names=("dE/dy_hat",),
        diag={"dE/dy_hat": {"alternatives": _distinct(alternatives, grad), "batch_size": n}},
        hint="dE/dy_hat = 2 (y_hat - y) / n, one entry per prediction",
    )


def check_mse_gradient(fn):
    """Check ``fn(y_hat, y) -> dE/dy_hat`` for E = mean((y_hat - y)**2).

    y_hat, y: arrays of the same shape, (N,) or (N, 1). Returns an array of
    the shape of y_hat: 2 (y_hat - y) / n, with n = y.size.
    """
    rng = np.random.default_rng(104)
    cases = [
        _mse_grad_case("n = 6", [1.0, 2.0, 3.0, 0.5, -0.5, 1.0], [1.5, 2.0, 2.0, 0.0, 0.5, -1.0]),
        _mse_grad_case("a column, shape (5, 1)", *_Y5),
        _mse_grad_case("random, n = 7", rng.normal(size=7), rng.normal(size=7)),
    ]
    return run_cases("check_mse_gradient", fn, cases, ("y_hat", "y"))


def _line_case(label, X, y, w, b):
    x, t = X[:, 0], y[:, 0]
    n = x.size
    g = 2.0 * (w * x + b - t) / n  # dE/dy_hat_i, (N,)
    dw, db = float(np.sum(g * x)), float(np.sum(g))
    alt_w = [
        (db, "dE/dw: each slope dE/dy_hat_i must be multiplied by its x_i (y_hat_i grows by x_i when w grows by 1)"),
        (
            dw / n,
            f"dE/dw is n = {n} times too small: dE/dy_hat already holds the 1/n; add the terms up, "
            "do not average them again",
        ),
    ]
    alt_b = [
        (dw, "dE/db: y_hat_i grows by 1 (not by x_i) when b grows by 1, so do not multiply by x_i"),
        (
            db / n,
            f"dE/db is n = {n} times too small: dE/dy_hat already holds the 1/n; add the terms up, "
            "do not average them again",
        ),
    ]
    # np.sum(..., axis=0) on the (N, 1) arrays keeps the slope in an array of shape (1,)
    alt_w += [(np.array([dw]), _ONE_NUMBER.format(shape=(1,)).replace("np.mean", "np.sum"))]
    alt_b += [(np.array([db]), _ONE_NUMBER.format(shape=(1,)).replace("np.mean", "np.sum"))]
    return Case(
        label,
        (X, y, float(w), float(b)),
        (dw, db),
        names=("dE/dw", "dE/db"),
        diag={"dE/dw": {"alternatives": _distinct(alt_w, dw)}, "dE/db": {"alternatives": _distinct(alt_b, db)}},
        hint={
            "dE/dw": "dE/dw = sum over i of (2/n)(y_hat_i - y_i) · x_i",
            "dE/db": "when b grows by 1, every y_hat_i grows by 1: how much does E grow?",
        },
    )


def check_line_gradients(fn):
    """Check ``fn(X, y, w, b) -> (dE/dw, dE/db)`` for the line y_hat = w x + b and E = MSE.

    X, y: (N, 1). w, b: numbers. Returns two numbers.
    """
    rng = np.random.default_rng(106)
    X5 = np.array([[-1.0], [0.0], [1.0], [2.0], [3.0]])
    cases = [
        _line_case("n = 5, w = 1, b = 0", X5, np.array([[-2.0], [1.0], [1.0], [5.0], [6.0]]), 1.0, 0.0),
        _line_case(
            "n = 6, w = -0.5, b = 2",
            np.linspace(0.0, 2.5, 6)[:, None],
            np.array([[1.0], [0.0], [2.0], [3.0], [2.5], [4.0]]),
            -0.5,
            2.0,
        ),
        _line_case(
            "random, n = 7", rng.normal(size=(7, 1)), rng.normal(size=(7, 1)), float(rng.normal()), float(rng.normal())
        ),
    ]
    return run_cases("check_line_gradients", fn, cases, ("X", "y", "w", "b"))


# ----------------------------------------------------- reference solutions
def mse(y_hat, y):
    """Mean squared error: one number."""
    return np.mean((y_hat - y) ** 2)


def mse_gradient(y_hat, y):
    """dE/dy_hat for E = mean((y_hat - y)**2): same shape as y_hat."""
    n = y.size  # the mean divides by the number of entries
    return 2.0 * (y_hat - y) / n


def line_gradients(X, y, w, b):
    """dE/dw and dE/db for y_hat = w x + b, E = mean((y_hat - y)**2); X, y (N, 1)."""
    dE_dy_hat = 2.0 * (w * X + b - y) / y.size  # (N, 1): one slope per prediction
    dE_dw = np.sum(dE_dy_hat * X)  # y_hat_i grows by x_i when w grows by 1
    dE_db = np.sum(dE_dy_hat)  # y_hat_i grows by 1 when b grows by 1
    return dE_dw, dE_db


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_mse": mse, "check_mse_gradient": mse_gradient, "check_line_gradients": line_gradients}
