"""Notebook 02's checkers (backprop_lessons/exercises/nb02_loss.py).

The reference solutions pass and agree with finite differences; each typical mistake
gets the hint that names it; the issue-12 cases are pinned: dividing by n − 1 was told
"forgot the factor 2 and 1/N" (n = 3 made n/(n − 1) = n/2), and a right E of shape (1,)
was told "use .mean()".
"""

import numpy as np
import pytest
from _exercises import run

from backprop_lessons.exercises import nb02_loss as nb02

CHECKERS = {"mse": nb02.check_mse, "mse_gradient": nb02.check_mse_gradient, "line_gradients": nb02.check_line_gradients}


@pytest.mark.parametrize("name", CHECKERS)
def test_reference_solution_passes(capsys, name):
    result, out = run(capsys, CHECKERS[name], nb02.SOLUTIONS["check_" + name])
    assert result.passed and result.n_cases >= 3
    assert out.strip().splitlines()[-1] == f"All {result.n_cases} cases passed."


def g(y_hat, y):
    return 2 * (y_hat - y) / y.size


WRONG = [
    ("mse", lambda y_hat, y: np.sum((y_hat - y) ** 2), "forgot to divide by N"),
    ("mse", lambda y_hat, y: np.mean(y_hat - y), "forgot to square"),
    ("mse", lambda y_hat, y: (y_hat - y) ** 2, "average them with .mean()"),
    ("mse", lambda y_hat, y: 0.5 * np.mean((y_hat - y) ** 2), "extra 1/2"),
    ("mse", lambda y_hat, y: np.sqrt(np.mean((y_hat - y) ** 2)), "RMSE"),
    ("mse", lambda y_hat, y: np.mean(np.abs(y_hat - y)), "mean ABSOLUTE error"),
    ("mse_gradient", lambda y_hat, y: 2 * (y_hat - y), "times too large: you forgot to divide by N"),
    ("mse_gradient", lambda y_hat, y: (y_hat - y) / y.size, "a factor 2 is missing"),
    ("mse_gradient", lambda y_hat, y: 2 * (y - y_hat) / y.size, "wrong sign"),
    ("mse_gradient", lambda y_hat, y: 2 * (y_hat - y) / y.size**2, "times too small"),
    ("mse_gradient", lambda y_hat, y: y_hat - y, "forgot both the factor 2 and the division by N"),
    ("mse_gradient", lambda y_hat, y: g(y_hat, y).ravel(), "wrong shape: (5,) instead of (5, 1)"),
    ("mse_gradient", lambda y_hat, y: np.mean(2 * (y_hat - y)), "you returned a single number"),
    (
        "line_gradients",
        lambda X, y, w, b: (np.sum(g(w * X + b, y)), np.sum(g(w * X + b, y))),
        "must be multiplied by its x_i",
    ),
    ("line_gradients", lambda X, y, w, b: (np.sum(g(w * X + b, y) * X),) * 2, "do not multiply by x_i"),
    (
        "line_gradients",
        lambda X, y, w, b: (np.mean(g(w * X + b, y) * X), np.sum(g(w * X + b, y))),
        "dE/dw is n = 5 times too small",
    ),
    ("line_gradients", lambda X, y, w, b: (-np.sum(g(w * X + b, y) * X), -np.sum(g(w * X + b, y))), "wrong sign"),
]


@pytest.mark.parametrize("name, fn, hint", WRONG, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG)])
def test_wrong_answer_gets_the_hint_naming_the_mistake(capsys, name, fn, hint):
    result, out = run(capsys, CHECKERS[name], fn)
    assert not result.passed
    assert hint in out, out


@pytest.mark.parametrize(
    "name, fn",
    [
        ("mse", lambda y_hat, y: np.sum((y_hat - y) ** 2) / (y.size - 1)),
        ("mse_gradient", lambda y_hat, y: 2 * (y_hat - y) / (y.size - 1)),
    ],
)
def test_dividing_by_n_minus_1_is_named_as_such(capsys, name, fn):
    """Issue 12 §6: with n = 3, n/(n − 1) = n/2 and the hint said "forgot the factor 2 and 1/N"."""
    result, out = run(capsys, CHECKERS[name], fn)
    assert result.n_passed == 0
    assert out.count("you divided by n - 1") == result.n_cases
    assert "forgot both the factor 2" not in out


@pytest.mark.parametrize("keepdims", [False, True])
def test_a_right_E_in_a_size_1_array_is_not_told_to_use_mean(capsys, keepdims):
    """Issue 12 §6: np.mean(..., axis=0) on a column gives shape (1,); the hint said "use .mean()"."""
    _, out = run(capsys, nb02.check_mse, lambda y_hat, y: np.mean((y_hat - y) ** 2, axis=0, keepdims=keepdims))
    wrong = [line for line in out.splitlines() if line.startswith("✗")]
    assert wrong and all("right value, but inside an array of shape (1" in line for line in wrong)
    assert ".mean()" not in out


def test_no_case_lets_two_factor_hints_coincide():
    """Each case's n keeps the named factors 2, 1/2, n, 1/n, n/2 and n/(n − 1) apart."""
    for n in (5, 6, 7):
        factors = [2, 0.5, n, 1 / n, n / 2, n / (n - 1)]
        assert len({round(f, 9) for f in factors}) == len(factors)


def test_line_gradients_agree_with_finite_differences():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(9, 1)), rng.normal(size=(9, 1))
    w, b, h = 0.7, -0.3, 1e-6

    def E(w, b):
        return np.mean((w * X + b - y) ** 2)

    dw, db = nb02.line_gradients(X, y, w, b)
    assert abs(dw - (E(w + h, b) - E(w - h, b)) / (2 * h)) < 1e-7
    assert abs(db - (E(w, b + h) - E(w, b - h)) / (2 * h)) < 1e-7


@pytest.mark.parametrize("name", CHECKERS)
def test_a_stub_prints_one_line(capsys, name):
    def stub(*args):
        raise NotImplementedError()

    result, out = run(capsys, CHECKERS[name], stub)
    assert not result.passed and len(out.strip().splitlines()) == 1 and "is not written yet" in out


def test_line_gradients_in_size_1_arrays_are_told_to_return_numbers(capsys):
    def fn(X, y, w, b):
        g = 2 * (w * X + b - y) / y.size
        return np.sum(g * X, axis=0), np.sum(g, axis=0)  # shape (1,) each

    _, out = run(capsys, nb02.check_line_gradients, fn)
    wrong = [line for line in out.splitlines() if line.startswith("✗")]
    assert len(wrong) == 3 and all("inside an array of shape (1,)" in line for line in wrong)
    assert ".mean()" not in out
