"""Checkers of notebook 08 (exercises/nb08_optimizers.py): right answers pass, mistakes are named.

Each checker is run with its reference solution, with the typical wrong answers it
claims to diagnose (the hint must NAME that mistake, and only where the signature is
unambiguous), with a stub, a function that raises, returns None or a string. The
reference solutions are compared with optim.Momentum and optim.Adam.
"""

import numpy as np
import pytest
from _exercises import run

from backprop_lessons.exercises import nb08_optimizers as nb08
from backprop_lessons.optim import Adam, Momentum

CHECKERS = ["momentum_update", "adam"]


@pytest.mark.parametrize("name", CHECKERS)
def test_reference_solution_passes(capsys, name):
    result, out = run(capsys, getattr(nb08, "check_" + name), nb08.SOLUTIONS["check_" + name])
    assert result.passed and result.n_cases >= 3
    assert out.strip().splitlines()[-1] == f"All {result.n_cases} cases passed."


def test_in_place_momentum_update_is_fine(capsys):
    def in_place(w, grad, velocity, lr, beta):
        if np.ndim(w) == 0:  # numbers cannot be changed in place
            return nb08.momentum_update(w, grad, velocity, lr, beta)
        velocity *= beta
        velocity += grad
        w -= lr * velocity
        return w, velocity

    assert run(capsys, nb08.check_momentum_update, in_place)[0].passed


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
    result, out = run(capsys, nb08.check_momentum_update, fn)
    assert not result.passed and hint in out, out


def test_issue12_swapped_return_order_is_not_called_a_missing_learning_rate(capsys):
    # issue 12 §6: returning (v, w) was told "the learning rate is missing" (on case 1, w - v_new == v_new)
    def swapped(w, grad, velocity, lr, beta):
        velocity = beta * velocity + grad
        return velocity, w - lr * velocity

    result, out = run(capsys, nb08.check_momentum_update, swapped)
    assert result.n_passed == 0
    assert "learning rate is missing" not in out
    assert out.count("you returned (velocity, w)") == result.n_cases - 1  # case 1 is ambiguous: no hint named


def _adam_variant(mistake):
    def adam(grad_fn, w0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
        return nb08._adam_run(grad_fn, w0, lr, steps, beta1, beta2, eps, mistake)

    return adam


ADAM_MISTAKES = [
    ("no_correction", "you forgot the bias correction"),
    ("only_m", "only m is corrected"),
    ("only_s", "only s is corrected"),
    ("t_fixed", "you kept t = 1"),
    ("power_wrong", "raise β to the power t first"),
    ("no_sqrt", "square ROOT"),
    ("m_sum", "m is an AVERAGE"),
    ("ascent", "stepped uphill"),
]


@pytest.mark.parametrize("mistake, hint", ADAM_MISTAKES)
def test_adam_mistakes_are_named(capsys, mistake, hint):
    result, out = run(capsys, nb08.check_adam, _adam_variant(mistake))
    assert not result.passed and hint in out, out


def test_adam_loop_that_changes_w0_in_place_is_told(capsys):
    def adam(grad_fn, w0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
        w = w0  # no copy
        m = s = 0.0
        for t in range(1, steps + 1):
            g = grad_fn(w)
            m = beta1 * m + (1 - beta1) * g
            s = beta2 * s + (1 - beta2) * g**2
            w -= lr * (m / (1 - beta1**t)) / (np.sqrt(s / (1 - beta2**t)) + eps)
        return w

    result, out = run(capsys, nb08.check_adam, adam)
    assert result.n_passed == 0 and "changed its input `w0` in place" in out


def test_adam_starting_t_at_zero_is_one_line_not_a_crash(capsys):
    result, out = run(capsys, nb08.check_adam, _adam_variant("t_from_0"))
    assert result.n_passed == 0 and "Traceback" not in out


def test_stub_and_wrong_types(capsys):
    def adam(grad_fn, w0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
        raise NotImplementedError()

    result, out = run(capsys, nb08.check_adam, adam)
    assert out.strip().splitlines() == [
        "✗ `adam` is not written yet: replace `raise NotImplementedError()` with your code, then run this cell again"
    ]
    for name in CHECKERS:
        checker = getattr(nb08, "check_" + name)
        result, out = run(capsys, checker, lambda *args: None)
        assert result.n_passed == 0 and out.count("did you forget `return`?") == result.n_cases
        result, out = run(capsys, checker, lambda *args: "oops")
        assert result.n_passed == 0 and "got a string 'oops'" in out
    _, out = run(capsys, nb08.check_momentum_update, lambda w, g, v, lr, b: w - lr * (b * v + g))
    assert "expected a tuple of 2 values (new w, new velocity)" in out


# ----------------------------------------------- the right answers are right
def test_momentum_reference_is_optim_momentum():
    rng = np.random.default_rng(0)
    w, v = rng.normal(size=(3, 2)), np.zeros((3, 2))
    params = {"w": w.copy()}
    opt = Momentum(0.05, beta=0.8)
    for _ in range(5):
        g = rng.normal(size=(3, 2))
        w, v = nb08.momentum_update(w, g, v, 0.05, 0.8)
        opt.step(params, {"w": g})
        np.testing.assert_allclose(params["w"], w, rtol=1e-12)
        np.testing.assert_allclose(opt.state["w"]["v"], v, rtol=1e-12)


def test_adam_reference_is_optim_adam():
    grad_fn = lambda w: np.array([0.1, 18.0]) * w  # noqa: E731
    w0 = np.array([-9.0, 1.2])
    params = {"w": w0.copy()}
    opt = Adam(0.1, beta1=0.9, beta2=0.99)
    for _ in range(30):
        opt.step(params, {"w": grad_fn(params["w"])})
    np.testing.assert_allclose(nb08.adam(grad_fn, w0, 0.1, 30, 0.9, 0.99), params["w"], rtol=1e-12)
    assert np.array_equal(w0, [-9.0, 1.2])  # the reference leaves w0 alone
