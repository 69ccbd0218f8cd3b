"""Checkers for notebook 05 (the learning rate): a rate for a bowl, the convergence factor, the challenge.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numbers

import numpy as np

from ._format import fmt_number, type_name
from ._runner import Case, answer_value, report, run_cases

__all__ = [
    "LR_CHALLENGE",
    "check_sgd_update",
    "check_learning_rate_choice",
    "check_convergence_factor",
    "check_lr_challenge",
    "challenge_run",
]


# The learning-rate explorer's line fit (w, b) to data.line(), full-batch MSE, plain
# gradient descent, started where the explorer starts. "epochs" is the most the learner
# may use: reaching the target that fast needs a rate chosen with the two curvatures in
# mind (the explorer's grid values 0.3 and 0.5 need 15 and 9 epochs).
LR_CHALLENGE = {"start": (-1.5, 2.5), "target": 0.02, "max_epochs": 7, "longest_run": 30}


def _is_number(x):
    return isinstance(x, (numbers.Real, np.number)) and not isinstance(x, (bool, np.bool_))


# ------------------------------------------ the update rule (taught in notebook 04; kept for self-study)
def _sgd_case(label, w, grad, lr):
    alternatives = [
        (w + lr * grad, "you stepped uphill: the gradient points uphill, so subtract it: w - lr * grad"),
        (lr * grad, "you returned the step only; return the new weights, w - lr * grad"),
        (-lr * grad, "you returned the change only; return the new weights, w - lr * grad"),
        (w - grad, "the learning rate is missing: w - lr * grad"),
    ]
    return Case(
        label,
        (w, grad, lr),
        w - lr * grad,
        names=("new w",),
        diag={"new w": {"alternatives": alternatives}},
        hint="new w = w - lr * grad",
    )


def check_sgd_update(fn):
    """Check ``fn(w, grad, lr) -> new_w``: one step of gradient descent.

    w: a number or an array; grad: same shape; lr: a positive number.
    Returns w - lr * grad (updating w in place and returning it is fine too).
    """
    rng = np.random.default_rng(109)
    cases = [
        _sgd_case("w = 1, grad = 0.5, lr = 0.1", 1.0, 0.5, 0.1),
        _sgd_case("arrays, shape (3,), lr = 0.01", np.array([0.5, -1.0, 2.0]), np.array([10.0, -20.0, 5.0]), 0.01),
        _sgd_case("random W, shape (2, 3), lr = 0.5", rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), 0.5),
    ]
    return run_cases("check_sgd_update", fn, cases, ("w", "grad", "lr"), mutable=("w",))


# ------------------------------------------------------ exercise 1: a rate for a bowl
def check_learning_rate_choice(lr, k=4.0):
    """Check a learning rate for E(w) = 0.5 * k * w**2 (slope k * w), started at w = 1.

    lr: a number, or a function of no arguments that returns it (the notebook's answer
    function). Gradient descent gives w <- w - lr * k * w = (1 - lr * k) * w: it
    converges exactly when |1 - lr * k| < 1, that is 0 < lr < 2 / k.
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
    said = (
        f"lr = {fmt_number(lr)}: each step multiplies w by 1 - lr·k = {fmt_number(q)}, "
        f"so after {steps} steps w = {fmt_number(w_end)} (from w = 1)"
    )
    need = "hint: w shrinks only if |1 - lr·k| < 1"
    if lr <= 0:
        return report(
            name,
            [
                (
                    False,
                    f"lr = {fmt_number(lr)} is not positive: a step of -lr * slope "
                    f"moves w uphill (or nowhere) — {need}",
                )
            ],
        )
    if abs(q) >= 1:
        what = "bounces between +1 and -1 forever" if abs(q) == 1 else "grows: the steps overshoot more and more"
        # A rate that would be safe for half the curvature: k read off as the factor in front of w**2.
        half = (
            (
                f"; E = {fmt_number(k / 2)}·w² is ½·k·w² with k = {fmt_number(k)} (the second "
                f"derivative), not k = {fmt_number(k / 2)}"
            )
            if lr < 4.0 / k
            else ""
        )
        return report(name, [(False, f"{said}; |{fmt_number(q)}| ≥ 1, so w {what} — {need}{half}")])
    if abs(q) < 1e-12:
        note = "lr = 1/k lands on the minimum in ONE step"
    elif q < 0:
        note = "converges, overshooting the minimum each step and zig-zagging in"
    elif q > 0.9:
        note = "converges, but slowly: a larger lr would get there in fewer steps"
    else:
        note = "converges smoothly, approaching from one side"
    return report(name, [(True, f"{said}: {note}")])


# --------------------------------------------- exercise 2: the slowest direction's factor
def _factor_case(label, lr, curvatures):
    k = np.asarray(curvatures, dtype=np.float64)
    q = 1.0 - lr * k  # one factor per direction
    answer = float(np.max(np.abs(q)))
    mistakes = {
        "no abs": (
            float(np.max(q)),
            "without the absolute value a negative factor (an overshoot) looks harmless: take the largest |1 - lr·k|",
        ),
        "fastest": (
            float(np.min(np.abs(q))),
            "that is the FASTEST direction's factor; the run is as slow as "
            "its slowest direction: the largest |1 - lr·k|, not the smallest",
        ),
        "steepest": (
            abs(1.0 - lr * k.max()),
            "you used only the steepest curvature; a gentle direction can be the slow one: look at every curvature",
        ),
        "gentlest": (
            abs(1.0 - lr * k.min()),
            "you used only the gentlest curvature; a steep direction can overshoot: look at every curvature",
        ),
    }
    mistakes = {m: (v, h) for m, (v, h) in mistakes.items() if abs(v - answer) > 1e-9}
    if "no abs" in mistakes and "gentlest" in mistakes and abs(mistakes["no abs"][0] - mistakes["gentlest"][0]) < 1e-9:
        # max(1 - lr·k) IS the gentlest direction's factor when it is positive: one value, two mistakes
        mistakes["no abs"] = (
            mistakes.pop("gentlest")[0],
            "that is 1 - lr·k for the gentlest curvature only: take the absolute value "
            "|1 - lr·k| for EVERY curvature, then the largest",
        )
    values = [v for v, _ in mistakes.values()]
    # a hint only where the value has one explanation; otherwise the checker says what differs
    alternatives = [(v, h) for v, h in mistakes.values() if sum(abs(v - u) < 1e-9 for u in values) == 1]
    alternatives.append(
        (np.abs(q), "you returned one factor per curvature; the answer is ONE number, the largest of them")
    )
    return Case(
        label,
        (lr, k),
        answer,
        names=("factor",),
        diag={"factor": {"alternatives": alternatives}},
        hint="factor = the largest of |1 - lr·k| over the curvatures k",
    )


def check_convergence_factor(fn):
    """Check ``fn(lr, curvatures) -> factor``: the per-step shrink of the slowest direction.

    lr: a positive number; curvatures: a 1-D array of the bowl's curvatures (the
    eigenvalues of its matrix of second derivatives). Returns the largest of
    |1 - lr * k| over k in curvatures, one number: below 1 the run converges,
    and the closer to 0 the faster.
    """
    cases = [
        # factors [0.9, 0.4, -0.8]: the gentle direction is the slow one
        _factor_case("lr = 0.2, curvatures [0.5, 3, 9]", 0.2, [0.5, 3.0, 9.0]),
        # factors [-0.05, -0.4, -0.75]: every direction overshoots, the steep one most
        _factor_case("lr = 0.35, curvatures [3, 4, 5]", 0.35, [3.0, 4.0, 5.0]),
        # factors [0.875, 0.5, -1.25]: the steep direction is over the edge
        _factor_case("lr = 0.25, curvatures [0.5, 2, 9]", 0.25, [0.5, 2.0, 9.0]),
    ]
    return run_cases("check_convergence_factor", fn, cases, ("lr", "curvatures"))


# ---------------------------------------------------------- exercise 3: the challenge
def challenge_run(lr, epochs):
    """Train the explorer's line fit with plain gradient descent; return the History."""
    from backprop_lessons.data import line
    from backprop_lessons.layers import Linear, Sequential
    from backprop_lessons.training import train

    X, y = line()
    model = Sequential(Linear(1, 1))
    model[0].params["W"][...] = LR_CHALLENGE["start"][0]
    model[0].params["b"][...] = LR_CHALLENGE["start"][1]
    return train(model, X, y, loss="mse", optimizer="sgd", lr=lr, epochs=epochs)


def _first_below(history, target):
    below = np.flatnonzero(np.asarray(history.epoch_loss, dtype=np.float64) < target)
    return int(below[0]) + 1 if below.size else None


def _best_sgd_lr():
    """2 / (smallest + largest curvature): the rate that makes both directions equally fast."""
    from backprop_lessons.data import line

    X, _ = line()
    A = np.hstack([X, np.ones_like(X)])  # (N, 2): E(w, b) has the Hessian 2/N AᵀA
    return 2.0 / float(np.linalg.eigvalsh(2.0 * A.T @ A / len(X)).sum())


def check_lr_challenge(lr, epochs=None, optimizer="sgd"):
    """The challenge: plain gradient descent on the explorer's line fit, loss < 0.02 in <= 7 epochs.

    lr: the learning rate, or a function of no arguments returning (lr, epochs);
    epochs: how many epochs to train (at most 7). Trains from the explorer's start
    (w, b) = (-1.5, 2.5) and reports when the loss first went below the target.
    """
    name = "check_lr_challenge"
    target, max_epochs, longest = LR_CHALLENGE["target"], LR_CHALLENGE["max_epochs"], LR_CHALLENGE["longest_run"]
    answer, failed = answer_value(name, lr)
    if failed:
        return failed
    if epochs is None:
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return report(name, [(False, f"expected (lr, epochs), two numbers, got {type_name(answer)}")])
        answer, epochs = answer
    lr = answer
    if optimizer != "sgd":
        return report(
            name,
            [
                (
                    False,
                    f"this challenge is plain gradient descent (optimizer='sgd'), got "
                    f"{optimizer!r}: momentum and Adam come in notebook 08, and on this "
                    f"bowl neither gets below {target} in {max_epochs} epochs",
                )
            ],
        )
    for what, value in (("lr", lr), ("epochs", epochs)):
        if not _is_number(value) or not np.isfinite(value):
            return report(name, [(False, f"expected a number for {what}, got {type_name(value)}")])
    if not float(epochs).is_integer() or epochs < 1:
        return report(name, [(False, f"epochs must be a whole number ≥ 1, got {fmt_number(epochs)}")])
    if lr <= 0:
        return report(name, [(False, f"lr must be positive, got {fmt_number(lr)}: a negative rate steps uphill")])
    epochs = int(epochs)
    if epochs > max_epochs:
        return report(
            name, [(False, f"use at most {max_epochs} epochs (you asked for {epochs}): the challenge is to be fast")]
        )
    run = f"lr = {fmt_number(lr)}, {epochs} epochs"
    history = challenge_run(lr, epochs)
    first = _first_below(history, target)
    if history.diverged_at is None and first is not None and history.epoch_loss[-1] < target:
        return report(
            name,
            [
                (
                    True,
                    f"{run}: loss first below {target} at epoch {first}, "
                    f"final loss {fmt_number(history.epoch_loss[-1])}",
                )
            ],
        )
    # Not there: run the same rate for longer, so the hint names the real problem.
    long_run = challenge_run(lr, longest)
    first_long = _first_below(long_run, target)
    if long_run.diverged_at is not None:
        hint = (
            f"diverged at epoch {long_run.diverged_at}: the steep direction overshoots more each step "
            "(|1 - lr·k| > 1 for its curvature); try a smaller lr"
        )
    elif first_long is not None and first_long <= max_epochs:
        hint = (
            f"this lr is fine: it gets below the target at epoch {first_long}, but you stopped "
            f"after {epochs}; train for {first_long} epochs"
        )
    elif first_long is not None or long_run.epoch_loss[-1] < long_run.epoch_loss[0]:
        where = f"only at epoch {first_long}" if first_long else f"not within {longest} epochs"
        side = (
            "the gentle direction is the slow one: try a larger lr"
            if lr < _best_sgd_lr()
            else "the steep direction zig-zags and is the slow one: try a smaller lr"
        )
        hint = f"with this lr the loss gets below the target {where}; {side}"
    else:
        hint = "the loss does not come down: |1 - lr·k| ≥ 1 for the steep direction; try a smaller lr"
    loss = history.epoch_loss[-1] if history.diverged_at is None else float("inf")
    return report(name, [(False, f"{run}: final loss {fmt_number(loss)} is not below {target} — hint: {hint}")])


# ----------------------------------------------------- reference solutions
def sgd_update(w, grad, lr):
    """One gradient-descent step: move against the gradient."""
    return w - lr * grad


def learning_rate_choice():
    """A rate for E(w) = 3 w**2 (k = 6): anything in (0, 2/6) converges; 1/k in one step."""
    return 1.0 / 6.0


def convergence_factor(lr, curvatures):
    """The largest |1 - lr * k|: the factor by which the slowest direction shrinks per step."""
    return float(np.max(np.abs(1.0 - lr * np.asarray(curvatures))))


def lr_challenge():
    """(lr, epochs): balance the two directions, |1 - lr·k_min| = |1 - lr·k_max| at lr = 2/(k_min + k_max)."""
    return 0.7, 6


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {
    "check_sgd_update": sgd_update,
    "check_learning_rate_choice": learning_rate_choice,
    "check_convergence_factor": convergence_factor,
    "check_lr_challenge": lr_challenge,
}
