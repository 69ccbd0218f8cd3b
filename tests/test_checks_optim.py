"""Checkers of notebooks 09-10 (exercises/nb09-nb10; notebook 08's are in test_exercises_nb08.py): right answers pass, mistakes are named.

Each checker is run with its reference solution, with every wrong variant it
claims to diagnose (the hint must NAME that mistake), with a function that
raises, returns None or returns a string. The checkers' right answers are
compared with the package (layers.Dropout,
losses.softmax_cross_entropy) and with finite differences.
"""

import numpy as np
import pytest

from _exercises import SOLUTION_FILES, ex, solutions
from backprop_lessons.gradcheck import numerical_gradient, rel_error
from backprop_lessons.layers import Dropout, mlp
from backprop_lessons.losses import softmax_cross_entropy
from backprop_lessons.training import History, train

CHECKERS = ["l2_gradient", "dropout_backward", "softmax_gradient"]  # notebook 08's: tests/test_exercises_nb08.py


def run(capsys, checker, *args, **kwargs):
    """Call a checker; return (result, stdout). Fails if anything reached stderr or a traceback printed."""
    result = checker(*args, **kwargs)
    out, err = capsys.readouterr()
    assert err == ""
    assert "Traceback" not in out
    return result, out


# ---------------------------------------------------------------- right answers pass
@pytest.mark.parametrize("name", CHECKERS)
def test_reference_solution_passes(capsys, name):
    result, out = run(capsys, getattr(ex, "check_" + name), getattr(solutions, name))
    assert result.passed and result.n_cases >= 3
    lines = out.strip().splitlines()
    assert all(line.startswith("✓ case") for line in lines[:-1])
    assert lines[-1] == f"All {result.n_cases} cases passed."
    assert repr(result) == f"CheckResult({result.n_cases}/{result.n_cases} passed)"


@pytest.mark.parametrize("name", CHECKERS + ["capstone"])
def test_exported_and_solution_shown(capsys, name):
    assert "check_" + name in ex.__all__
    ex.show_solution("check_" + name)
    out = capsys.readouterr().out
    assert out.startswith(f"Reference solution for check_{name} ({SOLUTION_FILES['check_' + name]}):")
    assert f"def {name}(" in out


# ---------------------------------------------------------------- named mistakes
L2_MISTAKES = [
    (lambda W, lam: 2 * lam * W, "twice too large"),
    (lambda W, lam: 0.5 * lam * W, "half too small"),
    (lambda W, lam: 0.5 * lam * W**2, "that is the penalty itself"),
    (lambda W, lam: lam * np.sign(W), "L1 penalty"),
    (lambda W, lam: W, "λ is missing"),
    (lambda W, lam: -lam * W, "wrong sign"),
    (lambda W, lam: lam * np.sum(W), "do not sum"),
    (lambda W, lam: 0.5 * lam * np.sum(W**2), "that is the penalty ½·λ·ΣW²"),
]


@pytest.mark.parametrize("fn, hint", L2_MISTAKES)
def test_l2_mistakes_are_named(capsys, fn, hint):
    result, out = run(capsys, ex.check_l2_gradient, fn)
    assert result.n_passed < result.n_cases  # (forgetting λ goes unnoticed where λ = 1)
    assert out.count(hint) == result.n_cases - result.n_passed


DROPOUT_MISTAKES = [
    (lambda d, k, p: d * k, "you forgot to rescale by 1/(1 − p)"),
    (lambda d, k, p: d * k * (1 - p), "not by (1 − p)"),
    (lambda d, k, p: d * k / p, "probability of DROPPING"),
    (lambda d, k, p: d * ~k / (1 - p), "the mask is reversed"),
    (lambda d, k, p: d / (1 - p), "must get NO gradient"),
    (lambda d, k, p: d.copy(), "only in eval mode"),
]


@pytest.mark.parametrize("fn, hint", DROPOUT_MISTAKES)
def test_dropout_mistakes_are_named(capsys, fn, hint):
    result, out = run(capsys, ex.check_dropout_backward, fn)
    assert not result.passed
    assert hint in out


def test_dropout_p_zero_case_and_in_place_change(capsys):
    # Forgetting the rescale is invisible at p = 0 (nothing is scaled): exactly that case passes.
    result, out = run(capsys, ex.check_dropout_backward, lambda d, k, p: d * k)
    assert (result.n_passed, result.n_cases) == (1, 4) and "✓ case 4: p = 0" in out

    def in_place(dout, keep, p):
        dout *= keep / (1 - p)
        return dout

    result, out = run(capsys, ex.check_dropout_backward, in_place)
    # At p = 0 the in-place product leaves dout's values unchanged, so only that case passes.
    assert result.n_passed == 1 and out.count("changed its input `dout` in place") == 3


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
    expected = (f"your function raised RuntimeError on line {line} of test_checks_optim.py: "
                "`raise RuntimeError(\"learner bug\")` (learner bug)")
    assert result.n_passed == 0 and out.count(expected) == result.n_cases
    result, out = run(capsys, checker, lambda *args: None)
    assert result.n_passed == 0 and out.count("did you forget `return`?") == result.n_cases
    result, out = run(capsys, checker, lambda *args: "oops")
    assert result.n_passed == 0 and out.count("got a string 'oops'") == result.n_cases
    result, out = run(capsys, checker, 3.0)
    assert result.n_passed == 0 and "needs your function itself" in out


# ----------------------------------------------- the right answers are right
def test_l2_and_softmax_references_match_finite_differences():
    rng = np.random.default_rng(2)
    W = rng.normal(size=(3, 4))
    numeric = numerical_gradient(lambda A: 0.5 * 0.07 * np.sum(A**2), W.copy())
    assert rel_error(solutions.l2_gradient(W, 0.07), numeric) < 1e-7
    scores, y = rng.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    numeric = numerical_gradient(lambda S: softmax_cross_entropy(S, y)[0], scores.copy())
    assert rel_error(solutions.softmax_gradient(scores, y), numeric) < 1e-7
    np.testing.assert_allclose(solutions.softmax_gradient(scores, y), softmax_cross_entropy(scores, y)[1])


def test_dropout_reference_is_layers_dropout_backward():
    layer = Dropout(p=0.3, rng=4).freeze_mask()
    X = np.random.default_rng(3).normal(size=(6, 5))
    layer.forward(X)
    dout = np.random.default_rng(5).normal(size=(6, 5))
    keep = layer.mask > 0  # the layer stores keep / (1 - p)
    np.testing.assert_allclose(solutions.dropout_backward(dout, keep, 0.3), layer.backward(dout))
    numeric = numerical_gradient(lambda A: np.sum(layer.forward(A) * dout), X.copy())
    assert rel_error(solutions.dropout_backward(dout, keep, 0.3), numeric) < 1e-7


# ---------------------------------------------------------------- the capstone
@pytest.fixture(scope="module")
def capstone_solution():
    return solutions.capstone()


def test_capstone_reference_passes(capsys, capstone_solution):
    model, history, X_val, y_val = capstone_solution
    result, out = run(capsys, ex.check_capstone, model, X_val, y_val, history)
    assert result.passed and result.n_cases == 3
    lines = out.strip().splitlines()
    assert lines[0] == "✓ outputs: 3 scores per row"
    assert lines[1].startswith("✓ validation accuracy 0.9") and "≥ 0.95" in lines[1]
    assert lines[2].startswith("✓ accuracy on 600 brand-new spiral points")
    assert lines[3] == "All 3 checks passed."


def test_capstone_data_is_the_stated_split():
    X_train, X_val, y_train, y_val = ex.capstone_data()
    assert X_train.shape == (210, 2) and X_val.shape == (90, 2)
    assert set(np.unique(y_train)) == {0, 1, 2}
    rows = {tuple(r) for r in X_train}
    # No validation point is trained on (except the spiral's centre, where all 3 arms start).
    assert all(tuple(r) not in rows or np.allclose(r, 0.0) for r in X_val)


def test_capstone_explains_wrong_models(capsys):
    _, X_val, _, y_val = ex.capstone_data()
    _, out = run(capsys, ex.check_capstone, mlp([2, 8, 1]), X_val, y_val)
    assert "expected 3 scores per row, got shape (1,) per row" in out and "mlp([2, ..., 3])" in out
    _, out = run(capsys, ex.check_capstone, mlp([3, 8, 3]), X_val, y_val)
    assert "your model raised ValueError on X_val (Linear expected 3 features, got 2)" in out
    _, out = run(capsys, ex.check_capstone, "my model", X_val, y_val)
    assert "pass your trained model" in out and "got a string 'my model'" in out
    _, out = run(capsys, ex.check_capstone, mlp([2, 8, 3]), X_val[:, :1], y_val)
    assert "X_val must be (N, 2)" in out
    untrained = mlp([2, 8, 3], rng=0)
    result, out = run(capsys, ex.check_capstone, untrained, X_val, y_val)
    assert result.n_passed == 1 and "is below the target 0.95" in out


def test_capstone_hints_read_the_history(capsys):
    X_train, X_val, y_train, y_val = ex.capstone_data()
    deep = mlp([2] + [32] * 6 + [3], activation="sigmoid", init="normal", std=1.0, rng=0)
    history = train(deep, X_train, y_train, loss="softmax", lr=0.01, epochs=20)
    _, out = run(capsys, ex.check_capstone, deep, X_val, y_val, history)
    assert "vanishing gradients" in out
    diverged = History(epoch_loss=[1.1, 5.0], diverged_at=2)
    partly = mlp([2, 64, 3], activation="relu", init="he", rng=0)
    train(partly, X_train, y_train, loss="softmax", optimizer="adam", lr=0.01, epochs=15)
    _, out = run(capsys, ex.check_capstone, partly, X_val, y_val, diverged)
    assert "training diverged at epoch 2" in out
    falling = History(epoch_loss=list(np.linspace(1.1, 0.5, 40)))
    _, out = run(capsys, ex.check_capstone, partly, X_val, y_val, falling)
    assert "still falling" in out


class _Memorizer:
    """A 'model' that looks up the validation points it was shown and guesses elsewhere."""

    params = {}

    def __init__(self, X, y):
        self.table = {tuple(x): int(c) for x, c in zip(X, y)}

    def forward(self, X):
        scores = np.zeros((len(X), 3))
        for i, x in enumerate(X):
            scores[i, self.table.get(tuple(x), 0)] = 1.0
        return scores


def test_capstone_catches_a_model_that_only_knows_the_validation_points(capsys):
    _, X_val, _, y_val = ex.capstone_data()
    result, out = run(capsys, ex.check_capstone, _Memorizer(X_val, y_val), X_val, y_val)
    assert result.n_passed == 2
    assert "✓ validation accuracy 1.0000" in out
    assert "brand-new spiral points 0.3333 is below 0.93" in out and "overfitting" in out
