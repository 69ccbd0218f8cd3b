"""Checkers for notebook 05 (the learning rate): the SGD update, choosing a rate, the challenge.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numbers

import numpy as np

from ._format import fmt_number, type_name
from ._runner import answer_value, Case, report, run_cases

__all__ = ['LR_CHALLENGE', 'check_sgd_update', 'check_learning_rate_choice', 'check_lr_challenge']


# The learning-rate explorer's "surface" problem: a line fit (w, b) to data.line(),
# full-batch MSE, started from the same point as the explorer (w0, b0) = (-1.5, 2.5).
LR_CHALLENGE = {"start": (-1.5, 2.5), "target": 0.02, "max_epochs": 20}


def _sgd_case(label, w, grad, lr):
    alternatives = [
        (w + lr * grad, "you stepped uphill: the gradient points uphill, so subtract it: w - lr * grad"),
        (lr * grad, "you returned the step only; return the new weights, w - lr * grad"),
        (-lr * grad, "you returned the change only; return the new weights, w - lr * grad"),
        (w - grad, "the learning rate is missing: w - lr * grad"),
    ]
    return Case(label, (w, grad, lr), w - lr * grad, names=("new w",),
                diag={"new w": {"alternatives": alternatives}}, hint="new w = w - lr * grad")


def check_sgd_update(fn):
    """Check ``fn(w, grad, lr) -> new_w``: one step of gradient descent.

    w: a number or an array; grad: same shape; lr: a positive number.
    Returns w - lr * grad (updating w in place and returning it is fine too).
    """
    rng = np.random.default_rng(109)
    cases = [
        _sgd_case("w = 1, grad = 0.5, lr = 0.1", 1.0, 0.5, 0.1),
        _sgd_case("arrays, shape (3,), lr = 0.01", np.array([0.5, -1.0, 2.0]),
                  np.array([10.0, -20.0, 5.0]), 0.01),
        _sgd_case("random W, shape (2, 3), lr = 0.5", rng.normal(size=(2, 3)),
                  rng.normal(size=(2, 3)), 0.5),
    ]
    return run_cases("check_sgd_update", fn, cases, ("w", "grad", "lr"), mutable=("w",))


def _is_number(x):
    return isinstance(x, (numbers.Real, np.number)) and not isinstance(x, (bool, np.bool_))


def check_learning_rate_choice(lr, k=4.0):
    """Check a learning rate for E(w) = 0.5 * k * w**2 (slope k * w), started at w = 1.

    Gradient descent gives w <- w - lr * k * w = (1 - lr * k) * w: it converges
    exactly when |1 - lr * k| < 1, that is 0 < lr < 2 / k.
    """
    name = "check_learning_rate_choice"
    lr, failed = answer_value(name, lr)
    if failed:
        return failed
    if not _is_number(lr) or not np.isfinite(lr):
        return report(name, [(False, f"expected a number for lr, got {type_name(lr)}")])
    if not _is_number(k) or not k > 0:
        return report(name, [(False, f"k must be a positive number, got {type_name(k)}")])
    lr, k = float(lr), float(k)
    q = 1.0 - lr * k  # each step multiplies w by q
    steps = 20
    w_end = q**steps
    said = (f"lr = {fmt_number(lr)}: each step multiplies w by 1 - lr·k = {fmt_number(q)}, "
            f"so after {steps} steps w = {fmt_number(w_end)} (from w = 1)")
    need = "hint: w shrinks only if |1 - lr·k| < 1"
    if lr <= 0:
        return report(name, [(False, f"lr = {fmt_number(lr)} is not positive: a step of -lr * slope "
                                     f"moves w uphill (or nowhere) — {need}")])
    if abs(q) >= 1:
        what = "bounces between +1 and -1 forever" if abs(q) == 1 else "grows: the steps overshoot more and more"
        return report(name, [(False, f"{said}; |{fmt_number(q)}| ≥ 1, so w {what} — {need}")])
    if q == 0:
        note = "lr = 1/k lands on the minimum in ONE step"
    elif q < 0:
        note = "converges, overshooting the minimum each step and zig-zagging in"
    elif q > 0.9:
        note = "converges, but slowly: a larger lr would get there in fewer steps"
    else:
        note = "converges smoothly, approaching from one side"
    return report(name, [(True, f"{said}: {note}")])


def _train_challenge(lr, epochs, optimizer):
    """Train the explorer's line fit; returns (History, the best sgd learning rate)."""
    from backprop_lessons.data import line
    from backprop_lessons.layers import Linear, Sequential
    from backprop_lessons.training import train

    X, y = line()
    model = Sequential(Linear(1, 1))
    model[0].params["W"][...] = LR_CHALLENGE["start"][0]
    model[0].params["b"][...] = LR_CHALLENGE["start"][1]
    history = train(model, X, y, loss="mse", optimizer=optimizer, lr=lr, epochs=epochs)
    # E(w, b) is a quadratic bowl with Hessian 2/N A^T A, A = [x, 1]. Plain gradient
    # descent shrinks the error fastest at lr = 2 / (smallest + largest eigenvalue):
    # below it steps are too timid, above it they overshoot (and diverge past 2/largest).
    A = np.hstack([X, np.ones_like(X)])  # (N, 2)
    eig = np.linalg.eigvalsh(2.0 * A.T @ A / len(X))
    return history, 2.0 / float(eig.sum())


def check_lr_challenge(lr, epochs=20, optimizer="sgd"):
    """The learning-rate challenge: fit the explorer's line to a loss below 0.02 in <= 20 epochs.

    lr: the learning rate; epochs: at most 20; optimizer: "sgd", "momentum" or "adam".
    Trains from the explorer's start (w, b) = (-1.5, 2.5) and reports when the
    loss first went below the target.
    """
    name, target, max_epochs = "check_lr_challenge", LR_CHALLENGE["target"], LR_CHALLENGE["max_epochs"]
    if _is_number(epochs) and float(epochs).is_integer() and epochs > max_epochs:
        return report(name, [(False, f"use at most {max_epochs} epochs (you asked for {int(epochs)}): "
                                     "the challenge is to be fast")])
    try:
        history, best_lr = _train_challenge(lr, epochs, optimizer)
    except (TypeError, ValueError) as exc:  # a bad lr, epochs or optimizer name: say which
        return report(name, [(False, str(exc))])
    losses = np.asarray(history.epoch_loss, dtype=np.float64)
    run = f"lr = {fmt_number(lr)}, {optimizer}, {int(epochs)} epochs"
    if history.diverged_at is not None:
        return report(name, [(False, f"{run}: diverged at epoch {history.diverged_at} — hint: the steps "
                                     "overshoot the bottom of the bowl more each time; try a smaller lr")])
    below = np.flatnonzero(losses < target)
    if below.size and losses[-1] < target:
        return report(name, [(True, f"{run}: final loss {fmt_number(losses[-1])} < {target}, "
                                    f"first below the target at epoch {below[0] + 1}")])
    if optimizer == "sgd" and lr < best_lr:
        hint = "the loss is still falling, slowly: the steps are too timid; try a larger lr"
    elif optimizer == "sgd":
        hint = "the steps overshoot and zig-zag across the bowl; try a smaller lr"
    else:
        hint = f"{optimizer} did not settle below the target; try another lr, or plain sgd"
    return report(name, [(False, f"{run}: final loss {fmt_number(losses[-1])} is above the target "
                                 f"{target} — hint: {hint}")])


# ----------------------------------------------------- reference solutions
def sgd_update(w, grad, lr):
    """One gradient-descent step: move against the gradient."""
    return w - lr * grad


def learning_rate_choice(k=4.0):
    """A learning rate that converges on E(w) = 0.5 * k * w**2: anything in (0, 2/k)."""
    return 1.0 / k  # 1 - lr * k = 0: the minimum in one step


def lr_challenge():
    """Settings for check_lr_challenge: below the stability limit (about 1), not far below."""
    return {"lr": 0.5, "epochs": 20, "optimizer": "sgd"}


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_sgd_update": sgd_update, "check_learning_rate_choice": learning_rate_choice, "check_lr_challenge": lr_challenge}
