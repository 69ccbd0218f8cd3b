"""Checkers of notebook 10 (exercises/nb10_capstone): right answers pass, mistakes are named.

Notebook 08's checkers are tested in test_exercises_nb08.py.

The capstone's mystery network is tested in test_exercises_nb10.py.

Each checker is run with its reference solution, with every wrong variant it
claims to diagnose (the hint must NAME that mistake), with a function that
raises, returns None or returns a string. The checkers' right answers are
compared with the package (losses.softmax_cross_entropy) and with finite differences.
"""

import numpy as np
import pytest
from _exercises import SOLUTION_FILES, ex, run, solutions

from backprop_lessons.gradcheck import numerical_gradient, rel_error
from backprop_lessons.losses import softmax_cross_entropy

CHECKERS = ["softmax_gradient"]  # notebook 08's checkers: tests/test_exercises_nb08.py


# ---------------------------------------------------------------- right answers pass
@pytest.mark.parametrize("name", CHECKERS)
def test_reference_solution_passes(capsys, name):
    result, out = run(capsys, getattr(ex, "check_" + name), getattr(solutions, name))
    assert result.passed and result.n_cases >= 3
    lines = out.strip().splitlines()
    assert all(line.startswith("✓ case") for line in lines[:-1])
    assert lines[-1] == f"All {result.n_cases} cases passed."
    assert repr(result) == f"CheckResult({result.n_cases}/{result.n_cases} passed)"


@pytest.mark.parametrize("name", CHECKERS)
def test_exported_and_solution_shown(capsys, name):
    assert "check_" + name in ex.__all__
    ex.show_solution("check_" + name)
    out = capsys.readouterr().out
    assert out.startswith(f"Reference solution for check_{name} ({SOLUTION_FILES['check_' + name]}):")
    assert f"def {name}(" in out


def _softmax_no_shift(scores, y):
    e = np.exp(scores)
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


SOFTMAX_MISTAKES = [
    (lambda s, y: solutions.softmax_gradient(s, y) * len(y), "forgot to divide by N"),
    (lambda s, y: solutions.softmax_gradient(s, y) + np.eye(s.shape[1])[y] / len(y), "forgot to subtract 1"),
    (lambda s, y: -solutions.softmax_gradient(s, y), "wrong sign"),
    (_softmax_no_shift, "NaN or inf"),
    (lambda s, y: (1 / (1 + np.exp(-s)) - np.eye(s.shape[1])[y]) / len(y), "normalizes each ROW"),
]


@pytest.mark.parametrize("fn, hint", SOFTMAX_MISTAKES)
def test_softmax_mistakes_are_named(capsys, fn, hint):
    with np.errstate(all="ignore"):
        result, out = run(capsys, ex.check_softmax_gradient, fn)
    assert not result.passed
    assert hint in out


# --------------------------------------------- errors, None, wrong types
def _learners_helper():
    raise RuntimeError("learner bug")


def learner_raises(*args):
    return _learners_helper()


@pytest.mark.parametrize("name", CHECKERS)
def test_every_checker_reports_exceptions_none_and_wrong_types(capsys, name):
    checker = getattr(ex, "check_" + name)
    result, out = run(capsys, checker, learner_raises)
    line = _learners_helper.__code__.co_firstlineno + 1
    expected = (
        f"your function raised RuntimeError on line {line} of test_checks_optim.py: "
        '`raise RuntimeError("learner bug")` (learner bug)'
    )
    assert result.n_passed == 0 and out.count(expected) == result.n_cases
    result, out = run(capsys, checker, lambda *args: None)
    assert result.n_passed == 0 and out.count("did you forget `return`?") == result.n_cases
    result, out = run(capsys, checker, lambda *args: "oops")
    assert result.n_passed == 0 and out.count("got a string 'oops'") == result.n_cases
    result, out = run(capsys, checker, 3.0)
    assert result.n_passed == 0 and "needs your function itself" in out


# ----------------------------------------------- the right answers are right
def test_softmax_reference_matches_finite_differences():
    rng = np.random.default_rng(2)
    scores, y = rng.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    numeric = numerical_gradient(lambda S: softmax_cross_entropy(S, y)[0], scores.copy())
    assert rel_error(solutions.softmax_gradient(scores, y), numeric) < 1e-7
    np.testing.assert_allclose(solutions.softmax_gradient(scores, y), softmax_cross_entropy(scores, y)[1])
