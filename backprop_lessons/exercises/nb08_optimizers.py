"""Checkers for notebook 08 (optimizers): the momentum update and Adam's bias correction.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numbers

import numpy as np

from ._runner import Case, run_cases

__all__ = ['check_momentum_update', 'check_adam_bias_correction']


def _momentum_case(label, w, grad, velocity, lr, beta):
    v_new = beta * velocity + grad
    w_new = w - lr * v_new
    other_form = beta * velocity - lr * grad  # CS231n's velocity u = beta*u - lr*g, step w = w + u
    other_form_hint = ("that is the other common form of momentum (v = β·v − lr·grad, then w = w + v); "
                       "this course and optim.Momentum keep the gradients' sum: v = β·v + grad, then w = w − lr·v")
    v_alternatives = [
        (beta * velocity + (1 - beta) * grad,
         "β·v + (1 − β)·grad is a running AVERAGE (Adam's m); momentum here ADDS the gradient: v = β·v + grad"),
        (velocity + grad, "β is missing: the old velocity decays, v = β·v + grad"),
        (beta * (velocity + grad), "β multiplies the OLD velocity only: v = β·v + grad"),
        (grad + 0 * velocity, "you replaced the velocity by the gradient: v must remember, v = β·v + grad"),
        (beta * velocity - grad, "wrong sign on the gradient: v = β·v + grad (the minus comes in the step)"),
    ]
    w_alternatives = [
        (w + lr * v_new, "you stepped uphill: w = w − lr·v"),
        (w - lr * velocity, "you stepped with the OLD velocity: first update v, then step w = w − lr·v_new"),
        (w - v_new, "the learning rate is missing: w = w − lr·v"),
        (w - lr * grad, "that is plain SGD: step along the velocity, w = w − lr·v, with v = β·v + grad"),
        (w + other_form, other_form_hint),
        # A wrong velocity, then a correct step with it: name the velocity's mistake.
        *[(w - lr * wrong, hint) for wrong, hint in v_alternatives],
    ]
    v_alternatives.insert(0, (other_form, other_form_hint))
    diag = {"new w": {"alternatives": w_alternatives}, "new velocity": {"alternatives": v_alternatives}}
    hint = {"new w": "w = w − lr·v with the NEW velocity", "new velocity": "v = β·v + grad"}
    return Case(label, (w, grad, velocity, lr, beta), (w_new, v_new),
                names=("new w", "new velocity"), diag=diag, hint=hint)


def check_momentum_update(fn):
    """Check ``fn(w, grad, velocity, lr, beta) -> (new_w, new_velocity)``: one momentum step.

    The convention of ``optim.Momentum`` (and PyTorch): velocity <- beta * velocity + grad,
    then w <- w - lr * velocity (with the NEW velocity). w, grad and velocity have the
    same shape (numbers or arrays); lr > 0, 0 <= beta < 1. Updating w and velocity
    in place and returning them is fine too.
    """
    rng = np.random.default_rng(113)
    cases = [
        _momentum_case("first step: velocity = 0, w = 1, grad = 0.5, lr = 0.1, β = 0.9",
                       1.0, 0.5, 0.0, 0.1, 0.9),
        _momentum_case("arrays (3,), a velocity from earlier steps, lr = 0.05, β = 0.9",
                       np.array([0.5, -1.0, 2.0]), np.array([1.0, -2.0, 0.5]),
                       np.array([2.0, 0.5, -1.0]), 0.05, 0.9),
        _momentum_case("random W (2, 3), β = 0.5, lr = 0.2", rng.normal(size=(2, 3)),
                       rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), 0.2, 0.5),
        _momentum_case("β = 0: momentum becomes plain SGD", np.array([1.0, 2.0]),
                       np.array([0.5, -0.5]), np.array([3.0, -3.0]), 0.1, 0.0),
    ]
    return run_cases("check_momentum_update", fn, cases, ("w", "grad", "velocity", "lr", "beta"),
                     mutable=("w", "velocity"))


def _adam_case(label, m, v, t, beta1, beta2):
    c1, c2 = 1.0 - beta1**t, 1.0 - beta2**t
    m_hat, v_hat = m / c1, v / c2

    def mistakes(moment, beta, other_beta, name, other):
        c = 1.0 - beta**t
        with np.errstate(all="ignore"):
            found = [
                (moment, f"you forgot the bias correction: divide {name} by (1 − β**t); at t = 1 that undoes "
                         "the start at 0"),
                (moment * c, f"divide by (1 − β**t), don't multiply: {name} started at 0, so it is too SMALL"),
                (moment / beta**t, "the correction is 1 − β**t, not β**t"),
                (moment / (1.0 - beta) ** t, "(1 − β)**t is not 1 − β**t: raise β to the power t first"),
                (moment / (1.0 - other_beta**t),
                 f"{name} goes with its own β: m with β1, v with β2 (you used the other one)"),
                (moment / (1.0 - beta ** (t + 1)), "off by one step: t counts from 1 (after the first step t = 1)"),
            ]
            if t > 1:
                found.append((moment / (1.0 - beta ** (t - 1)),
                              "off by one step: t counts from 1 (after the first step t = 1)"))
            if name == "v":
                found.append((np.sqrt(moment / c), "leave out the square root: it belongs to the step, "
                                                   "lr·m_hat / (√v_hat + eps), not to v_hat"))
        return [(wrong, hint) for wrong, hint in found if np.all(np.isfinite(wrong))]

    diag = {"m_hat": {"alternatives": mistakes(m, beta1, beta2, "m", "v")},
            "v_hat": {"alternatives": mistakes(v, beta2, beta1, "v", "m")}}
    hint = {"m_hat": "m_hat = m / (1 − β1**t)", "v_hat": "v_hat = v / (1 − β2**t)"}
    return Case(label, (m, v, t, beta1, beta2), (m_hat, v_hat), names=("m_hat", "v_hat"),
                diag=diag, hint=hint)


def check_adam_bias_correction(fn):
    """Check ``fn(m, v, t, beta1, beta2) -> (m_hat, v_hat)``: Adam's bias correction.

    m, v: the running averages of the gradient and of its square after t steps (t = 1
    after the first step), numbers or arrays of the same shape. Returns
    m_hat = m / (1 - beta1**t) and v_hat = v / (1 - beta2**t), as in ``optim.Adam``.
    """
    rng = np.random.default_rng(114)
    g = np.array([2.0, -0.5, 0.1])
    m10, v10 = rng.normal(size=4), rng.uniform(0.1, 2.0, size=4)
    m1000, v1000 = rng.normal(size=(2, 3)), rng.uniform(0.1, 2.0, size=(2, 3))
    cases = [
        _adam_case("after the first step, t = 1: m = 0.1·g, v = 0.001·g²", 0.1 * g, 0.001 * g**2, 1, 0.9, 0.999),
        _adam_case("t = 10, arrays (4,)", m10, v10, 10, 0.9, 0.999),
        _adam_case("t = 1000: m is nearly unbiased by now, v is not yet", m1000, v1000, 1000, 0.9, 0.999),
        _adam_case("numbers, t = 3, β1 = 0.5, β2 = 0.75", 0.3, 0.2, 3, 0.5, 0.75),
    ]
    return run_cases("check_adam_bias_correction", fn, cases, ("m", "v", "t", "beta1", "beta2"))


# ----------------------------------------------------- reference solutions
def momentum_update(w, grad, velocity, lr, beta):
    """One momentum step, as optim.Momentum takes it: returns (new w, new velocity)."""
    velocity = beta * velocity + grad  # the old velocity decays, the new gradient is added
    w = w - lr * velocity  # step along the velocity, not the raw gradient
    return w, velocity


def adam_bias_correction(m, v, t, beta1, beta2):
    """Undo the start at 0 of Adam's running averages after t steps (t = 1 after the first)."""
    m_hat = m / (1.0 - beta1**t)  # at t = 1: m = (1 - beta1) g, so m_hat = g
    v_hat = v / (1.0 - beta2**t)  # at t = 1: v = (1 - beta2) g**2, so v_hat = g**2
    return m_hat, v_hat


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_momentum_update": momentum_update, "check_adam_bias_correction": adam_bias_correction}
