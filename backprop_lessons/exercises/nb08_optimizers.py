"""Checkers for notebook 08 (optimizers): the momentum update and an Adam loop with bias correction.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first! A hint is given only
when the mistake's signature is unambiguous on that case; otherwise the checker says
what differs.
"""

import numpy as np

from ._runner import Case, run_cases
from .nb07_vanishing_gradients import _unambiguous

__all__ = ["check_momentum_update", "check_adam"]


def _momentum_case(label, w, grad, velocity, lr, beta):
    v_new = beta * velocity + grad
    w_new = w - lr * v_new
    other_form = beta * velocity - lr * grad  # CS231n's velocity u = beta*u - lr*g, step w = w + u
    other_form_hint = (
        "that is the other common form of momentum (v = β·v − lr·grad, then w = w + v); "
        "this course and optim.Momentum keep the gradients' sum: v = β·v + grad, then w = w − lr·v"
    )
    v_alternatives = [
        (
            beta * velocity + (1 - beta) * grad,
            "β·v + (1 − β)·grad is a running AVERAGE (Adam's m); momentum here ADDS the gradient: v = β·v + grad",
        ),
        (velocity + grad, "β is missing: the old velocity decays, v = β·v + grad"),
        (beta * (velocity + grad), "β multiplies the OLD velocity only: v = β·v + grad"),
        (grad + 0 * velocity, "you replaced the velocity by the gradient: v must remember, v = β·v + grad"),
        (beta * velocity - grad, "wrong sign on the gradient: v = β·v + grad (the minus comes in the step)"),
    ]
    w_alternatives = [
        (w + lr * v_new, "you stepped uphill: w = w − lr·v"),
        (w - lr * velocity, "you stepped with the OLD velocity: first update v, then step w = w − lr·v_new"),
        (w - v_new, "the learning rate is missing: w = w − lr·v"),
        (v_new, "you returned (velocity, w): return the new w first, then the new velocity"),
        (w - lr * grad, "that is plain SGD: step along the velocity, w = w − lr·v, with v = β·v + grad"),
        (w + other_form, other_form_hint),
        # A wrong velocity, then a correct step with it: name the velocity's mistake.
        # (Replacing v by grad steps like plain SGD: that hint, above, names it.)
        *[(w - lr * wrong, hint) for wrong, hint in v_alternatives if not hint.startswith("you replaced")],
    ]
    v_alternatives.insert(0, (other_form, other_form_hint))
    v_alternatives.append((w_new, "you returned (velocity, w): return the new w first, then the new velocity"))
    diag = {
        "new w": {"alternatives": _unambiguous(w_alternatives, w_new)},
        "new velocity": {"alternatives": _unambiguous(v_alternatives, v_new)},
    }
    hint = {"new w": "w = w − lr·v with the NEW velocity", "new velocity": "v = β·v + grad"}
    return Case(
        label, (w, grad, velocity, lr, beta), (w_new, v_new), names=("new w", "new velocity"), diag=diag, hint=hint
    )


def check_momentum_update(fn):
    """Check ``fn(w, grad, velocity, lr, beta) -> (new_w, new_velocity)``: one momentum step.

    The convention of ``optim.Momentum`` (and PyTorch): velocity <- beta * velocity + grad,
    then w <- w - lr * velocity (with the NEW velocity). w, grad and velocity have the
    same shape (numbers or arrays); lr > 0, 0 <= beta < 1. Updating w and velocity
    in place and returning them is fine too.
    """
    rng = np.random.default_rng(113)
    cases = [
        _momentum_case("first step: velocity = 0, w = 1, grad = 0.5, lr = 0.1, β = 0.9", 1.0, 0.5, 0.0, 0.1, 0.9),
        _momentum_case(
            "arrays (3,), a velocity from earlier steps, lr = 0.05, β = 0.9",
            np.array([0.5, -1.0, 2.0]),
            np.array([1.0, -2.0, 0.5]),
            np.array([2.0, 0.5, -1.0]),
            0.05,
            0.9,
        ),
        _momentum_case(
            "random W (2, 3), β = 0.5, lr = 0.2",
            rng.normal(size=(2, 3)),
            rng.normal(size=(2, 3)),
            rng.normal(size=(2, 3)),
            0.2,
            0.5,
        ),
        _momentum_case(
            "β = 0: momentum becomes plain SGD",
            np.array([1.0, 2.0]),
            np.array([0.5, -0.5]),
            np.array([3.0, -3.0]),
            0.1,
            0.0,
        ),
    ]
    return run_cases(
        "check_momentum_update", fn, cases, ("w", "grad", "velocity", "lr", "beta"), mutable=("w", "velocity")
    )


_ADAM_MISTAKES = {
    "no_correction": "you forgot the bias correction: m and s start at 0, divide them by 1 − β**t",
    "only_m": "only m is corrected: s started at 0 too, so s_hat = s / (1 − β2**t)",
    "only_s": "only s is corrected: m started at 0 too, so m_hat = m / (1 − β1**t)",
    "t_fixed": "the step count t must grow: t = 1 at the first step, 2 at the second, ... (you kept t = 1)",
    "t_from_0": "off by one step: t is 1 at the first step (count the step before you correct)",
    "power_wrong": "(1 − β)**t is not 1 − β**t: raise β to the power t first",
    "no_sqrt": "divide by the square ROOT of s_hat: s is an average of g², √s is the gradient's size",
    "m_sum": "m is an AVERAGE: m = β1·m + (1 − β1)·g (you added the whole g, as momentum does)",
    "ascent": "you stepped uphill: w = w − lr · m_hat / (√s_hat + eps)",
    "s_of_g": "s averages the SQUARED gradient: s = β2·s + (1 − β2)·g**2",
}


def _adam_run(grad_fn, w0, lr, steps, beta1, beta2, eps, mistake=None):
    """Adam for `steps` steps from w0 (one of the typical mistakes, if named); returns the last w."""
    w = np.array(w0, dtype=float)
    m, s = np.zeros_like(w), np.zeros_like(w)
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            g = grad_fn(w)
            m = beta1 * m + (g if mistake == "m_sum" else (1 - beta1) * g)
            s = beta2 * s + (1 - beta2) * (g if mistake == "s_of_g" else g**2)
            k = {"t_fixed": 1, "t_from_0": t - 1}.get(mistake, t)
            c1 = (1 - beta1) ** k if mistake == "power_wrong" else 1 - beta1**k
            c2 = (1 - beta2) ** k if mistake == "power_wrong" else 1 - beta2**k
            if mistake in ("no_correction", "only_s"):
                c1 = 1.0
            if mistake in ("no_correction", "only_m"):
                c2 = 1.0
            m_hat, s_hat = m / c1, s / c2
            size = s_hat if mistake == "no_sqrt" else np.sqrt(s_hat)
            w = w + (1 if mistake == "ascent" else -1) * lr * m_hat / (size + eps)
    return w


def _adam_case(label, grad_fn, w0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    right = _adam_run(grad_fn, w0, lr, steps, beta1, beta2, eps)
    alternatives = [(_adam_run(grad_fn, w0, lr, steps, beta1, beta2, eps, m), h) for m, h in _ADAM_MISTAKES.items()]
    diag = {"w": {"alternatives": _unambiguous(alternatives, right)}}
    return Case(
        label,
        (grad_fn, w0, lr, steps, beta1, beta2, eps),
        right,
        names=("w",),
        diag=diag,
        hint="per step: t += 1, m and s updated, both bias-corrected, then w -= lr·m_hat/(√s_hat + eps)",
    )


def _ravine_grad(w):
    return np.array([0.1, 18.0]) * w  # E = (0.1·w1² + 18·w2²) / 2


def _bowl_grad(w):
    return 2.0 * (w - 3.0)  # E = (w − 3)²


def _quartic_grad(w):
    return 4.0 * w**3 - 2.0 * w  # E = w⁴ − w²: two minima at ±1/√2


def check_adam(fn):
    """Check ``fn(grad_fn, w0, lr, steps, beta1, beta2, eps) -> w``: Adam from w0 for
    `steps` steps, with bias correction.

    grad_fn(w) returns the gradient at w (an array of w's shape). w0: the start
    (an array; do not change it in place). Returns the weights after the last step.
    """
    cases = [
        _adam_case("one step on E = (w − 3)², w0 = [0], lr = 0.1", _bowl_grad, np.array([0.0]), 0.1, 1),
        _adam_case("5 steps on E = (w − 3)², w0 = [0, 10], lr = 0.5", _bowl_grad, np.array([0.0, 10.0]), 0.5, 5),
        _adam_case("50 steps on the ravine, w0 = [−9, 1.2], lr = 0.1", _ravine_grad, np.array([-9.0, 1.2]), 0.1, 50),
        _adam_case(
            "200 steps on E = w⁴ − w², w0 = [2, −0.1, 0.3], lr = 0.01, β1 = 0.5, β2 = 0.9",
            _quartic_grad,
            np.array([2.0, -0.1, 0.3]),
            0.01,
            200,
            0.5,
            0.9,
        ),
    ]
    return run_cases("check_adam", fn, cases, ("grad_fn", "w0", "lr", "steps", "beta1", "beta2", "eps"))


# ----------------------------------------------------- reference solutions
def momentum_update(w, grad, velocity, lr, beta):
    """One momentum step, as optim.Momentum takes it: returns (new w, new velocity)."""
    velocity = beta * velocity + grad  # the old velocity decays, the new gradient is added
    w = w - lr * velocity  # step along the velocity, not the raw gradient
    return w, velocity


def adam(grad_fn, w0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam from w0 for `steps` steps, as optim.Adam takes them; returns the last weights."""
    w = np.array(w0, dtype=float)  # a copy: the caller's w0 stays as it was
    m, s = np.zeros_like(w), np.zeros_like(w)  # both running averages start at 0
    for t in range(1, steps + 1):  # t = 1 at the first step
        g = grad_fn(w)
        m = beta1 * m + (1 - beta1) * g  # running average of the gradient
        s = beta2 * s + (1 - beta2) * g**2  # running average of its square
        m_hat = m / (1 - beta1**t)  # bias correction: undo the start at 0
        s_hat = s / (1 - beta2**t)
        w = w - lr * m_hat / (np.sqrt(s_hat) + eps)
    return w


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_momentum_update": momentum_update, "check_adam": adam}
