"""Checkers of notebooks 08-10 (exercises/nb08-nb10): right answers pass, mistakes are named.

The capstone's mystery network is tested in test_exercises_nb10.py.

Each checker is run with its reference solution, with every wrong variant it
claims to diagnose (the hint must NAME that mistake), with a function that
raises, returns None or returns a string. The checkers' right answers are
compared with the package (optim.Momentum, optim.Adam,
losses.softmax_cross_entropy) and with finite differences.
"""

import numpy as np
import pytest

from _exercises import SOLUTION_FILES, ex, solutions
from backprop_lessons.gradcheck import numerical_gradient, rel_error
from backprop_lessons.layers import mlp
from backprop_lessons.losses import softmax_cross_entropy
from backprop_lessons.optim import Adam, Momentum
from backprop_lessons.training import History, train

CHECKERS = ["momentum_update", "adam_bias_correction", "softmax_gradient"]


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


@pytest.mark.parametrize("name", CHECKERS)
def test_exported_and_solution_shown(capsys, name):
    assert "check_" + name in ex.__all__
    ex.show_solution("check_" + name)
    out = capsys.readouterr().out
    assert out.startswith(f"Reference solution for check_{name} ({SOLUTION_FILES['check_' + name]}):")
    assert f"def {name}(" in out


def test_in_place_momentum_update_is_fine(capsys):
    def in_place(w, grad, velocity, lr, beta):
        velocity *= beta
        velocity += grad
        w -= lr * velocity
        return w, velocity

    def float_safe(w, grad, velocity, lr, beta):  # numbers cannot be changed in place
        if np.ndim(w) == 0:
            return solutions.momentum_update(w, grad, velocity, lr, beta)
        return in_place(w, grad, velocity, lr, beta)

    assert run(capsys, ex.check_momentum_update, float_safe)[0].passed


# ---------------------------------------------------------------- named mistakes
MOMENTUM_MISTAKES = [
    (lambda w, g, v, lr, b: (w + lr * (b * v + g), b * v + g), "you stepped uphill"),
    (lambda w, g, v, lr, b: (w - lr * v, b * v + g), "you stepped with the OLD velocity"),
    (lambda w, g, v, lr, b: (w + (b * v - lr * g), b * v - lr * g), "the other common form of momentum"),
    (lambda w, g, v, lr, b: (w - lr * (b * v + (1 - b) * g), b * v + (1 - b) * g), "running AVERAGE"),
    (lambda w, g, v, lr, b: (w - lr * (v + g), v + g), "β is missing"),
    (lambda w, g, v, lr, b: (w - (b * v + g), b * v + g), "the learning rate is missing"),
    (lambda w, g, v, lr, b: (w - lr * g, b * v + g), "that is plain SGD"),
]


@pytest.mark.parametrize("fn, hint", MOMENTUM_MISTAKES)
def test_momentum_mistakes_are_named(capsys, fn, hint):
    result, out = run(capsys, ex.check_momentum_update, fn)
    assert not result.passed
    assert hint in out


ADAM_MISTAKES = [
    (lambda m, v, t, b1, b2: (m, v), "you forgot the bias correction"),
    (lambda m, v, t, b1, b2: (m * (1 - b1**t), v * (1 - b2**t)), "don't multiply"),
    (lambda m, v, t, b1, b2: (m / b1**t, v / b2**t), "the correction is 1 − β**t, not β**t"),
    (lambda m, v, t, b1, b2: (m / (1 - b1) ** t, v / (1 - b2) ** t), "raise β to the power t first"),
    (lambda m, v, t, b1, b2: (m / (1 - b2**t), v / (1 - b1**t)), "goes with its own β"),
    (lambda m, v, t, b1, b2: (m / (1 - b1 ** (t + 1)), v / (1 - b2 ** (t + 1))), "off by one step"),
    (lambda m, v, t, b1, b2: (m / (1 - b1**t), np.sqrt(v / (1 - b2**t))), "leave out the square root"),
]


@pytest.mark.parametrize("fn, hint", ADAM_MISTAKES)
def test_adam_mistakes_are_named(capsys, fn, hint):
    result, out = run(capsys, ex.check_adam_bias_correction, fn)
    assert not result.passed
    assert hint in out


def test_forgetting_the_correction_passes_only_where_it_no_longer_matters(capsys):
    result, out = run(capsys, ex.check_adam_bias_correction, lambda m, v, t, b1, b2: (m, v / (1 - b2**t)))
    # At t = 1000 with beta1 = 0.9 the correction of m is 1 - 1e-46: forgetting it is harmless there.
    assert (result.n_passed, result.n_cases) == (1, 4)
    assert "case 3: t = 1000" in out.splitlines()[2] and out.splitlines()[2].startswith("✓")












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


def test_tuple_checkers_say_what_to_return(capsys):
    _, out = run(capsys, ex.check_momentum_update, lambda w, g, v, lr, b: w - lr * (b * v + g))
    assert "expected a tuple of 2 values (new w, new velocity)" in out
    _, out = run(capsys, ex.check_adam_bias_correction, lambda m, v, t, b1, b2: (m,))
    assert "expected a tuple of 2 values (m_hat, v_hat), got a tuple of 1 item" in out


# ----------------------------------------------- the right answers are right
def test_momentum_reference_is_optim_momentum():
    rng = np.random.default_rng(0)
    w, v = rng.normal(size=(3, 2)), np.zeros((3, 2))
    params = {"w": w.copy()}
    opt = Momentum(0.05, beta=0.8)
    for _ in range(5):
        g = rng.normal(size=(3, 2))
        w, v = solutions.momentum_update(w, g, v, 0.05, 0.8)
        opt.step(params, {"w": g})
        np.testing.assert_allclose(params["w"], w, rtol=1e-12)
        np.testing.assert_allclose(opt.state["w"]["v"], v, rtol=1e-12)


def test_adam_bias_correction_reference_reproduces_optim_adam():
    rng = np.random.default_rng(1)
    w = rng.normal(size=4)
    params = {"w": w.copy()}
    opt = Adam(0.01, beta1=0.9, beta2=0.99)
    m = v = np.zeros(4)
    for t in range(1, 8):
        g = rng.normal(size=4)
        m = 0.9 * m + 0.1 * g
        v = 0.99 * v + 0.01 * g**2
        m_hat, v_hat = solutions.adam_bias_correction(m, v, t, 0.9, 0.99)
        w = w - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
        opt.step(params, {"w": g})
        np.testing.assert_allclose(params["w"], w, rtol=1e-12)
    # The point of the correction: Adam's first step is lr per coordinate, whatever the gradient's scale.
    first = {"w": np.zeros(3)}
    Adam(0.1).step(first, {"w": np.array([1e-4, 3.0, -50.0])})
    np.testing.assert_allclose(first["w"], [-0.1, -0.1, 0.1], rtol=1e-3)


def test_softmax_reference_matches_finite_differences():
    rng = np.random.default_rng(2)
    scores, y = rng.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    numeric = numerical_gradient(lambda S: softmax_cross_entropy(S, y)[0], scores.copy())
    assert rel_error(solutions.softmax_gradient(scores, y), numeric) < 1e-7
    np.testing.assert_allclose(solutions.softmax_gradient(scores, y), softmax_cross_entropy(scores, y)[1])


