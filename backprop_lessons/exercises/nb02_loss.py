"""Checkers for notebook 02 (loss): the mean squared error and its slope.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numpy as np

from ._runner import Case, run_cases

__all__ = ['check_mse', 'check_mse_gradient']


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


# ----------------------------------------------------- reference solutions
def mse(y_hat, y):
    """Mean squared error: one number."""
    return np.mean((y_hat - y) ** 2)


def mse_gradient(y_hat, y):
    """dE/dy_hat for E = mean((y_hat - y)**2): same shape as y_hat."""
    n = y.size  # the mean divides by the number of entries
    return 2.0 * (y_hat - y) / n


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_mse": mse, "check_mse_gradient": mse_gradient}
