"""Checkers for notebooks 08 (optimizers), 09 (generalization) and 10 (the capstone).

08: ``check_momentum_update``, ``check_adam_bias_correction`` -- the update rules
    of ``optim.Momentum`` and ``optim.Adam``, in the same convention:
    v <- beta * v + grad, w <- w - lr * v (PyTorch's form of momentum).
09: ``check_l2_gradient``, ``check_dropout_backward`` -- the L2 penalty's gradient
    (what ``train(..., l2=...)`` adds) and inverted dropout's backward pass
    (``layers.Dropout``).
10: ``check_softmax_gradient`` (where the backward pass of a classifier starts)
    and ``check_capstone`` (a trained spiral classifier must reach a stated
    accuracy on validation data and on brand-new points).

The right answers are computed here with plain numpy; each typical mistake is
computed too, so the hint can name it (wrong sign, forgot the bias correction,
forgot to rescale by 1/(1 - p), ...).
"""

import numpy as np

from ._format import fmt_number, type_name
from ._runner import Case, report, run_cases

__all__ = [
    "check_momentum_update",
    "check_adam_bias_correction",
    "check_l2_gradient",
    "check_dropout_backward",
    "check_softmax_gradient",
    "check_capstone",
    "capstone_data",
    "CAPSTONE",
]


# ----------------------------------------------------------------- notebook 08
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


# ----------------------------------------------------------------- notebook 09
def _l2_case(label, W, lam):
    alternatives = [
        (2 * lam * W,
         "twice too large: the ½ in ½·λ·ΣW² cancels the 2 from the square, so the gradient is λ·W"),
        (0.5 * lam * W, "half too small: d/dW of ½·λ·W² is ½·λ·2W = λ·W"),
        (0.5 * lam * W**2, "that is the penalty itself (per weight); its GRADIENT is λ·W"),
        (lam * W**2, "W² is inside the penalty; the gradient of ½·λ·W² is λ·W"),
        (lam * np.sign(W), "λ·sign(W) is the gradient of the L1 penalty λ·Σ|W|; for L2 it is λ·W"),
        (W + 0 * lam, "λ is missing: the gradient is λ·W"),
        (lam * np.sum(W), "the gradient has one entry per weight (the shape of W): do not sum; dW = λ·W"),
        (0.5 * lam * np.sum(W**2),
         "that is the penalty ½·λ·ΣW² (one number); its gradient has the shape of W: λ·W"),
        (-lam * W, "wrong sign: the penalty grows as |W| grows, so its gradient is +λ·W "
                   "(the update w − lr·λ·W then pulls each weight towards 0)"),
    ]
    alternatives = [(wrong, hint) for wrong, hint in alternatives if not np.allclose(wrong, lam * W)]
    return Case(label, (W, lam), lam * W, names=("dW",), diag={"dW": {"alternatives": alternatives}},
                hint="d/dW of ½·λ·ΣW² is λ·W, one entry per weight")


def check_l2_gradient(fn):
    """Check ``fn(W, lam) -> dW``: the gradient of the L2 penalty 0.5 * lam * sum(W**2).

    W: a weight array of any shape; lam: λ >= 0. Returns lam * W, the shape of W:
    what ``train(..., l2=lam)`` adds to every weight gradient.
    """
    rng = np.random.default_rng(115)
    cases = [
        _l2_case("W (2, 2), λ = 0.1", np.array([[1.0, -2.0], [0.5, 3.0]]), 0.1),
        _l2_case("random W (3, 4), λ = 0.01", rng.normal(size=(3, 4)), 0.01),
        _l2_case("a vector (5,), λ = 1", rng.normal(size=5), 1.0),
    ]
    return run_cases("check_l2_gradient", fn, cases, ("W", "lam"))


def _dropout_case(label, dout, keep, p):
    expected = dout * keep / (1.0 - p)
    with np.errstate(all="ignore"):  # dout / p at p = 0: that mistake is simply not offered there
        alternatives = [
            (dout * keep, "you forgot to rescale by 1/(1 − p): the forward pass multiplied every kept unit "
                          "by 1/(1 − p), so its gradient gets the same factor"),
            (dout * keep * (1.0 - p), "multiply by 1/(1 − p), not by (1 − p)"),
            (dout * keep / p, "p is the probability of DROPPING a unit; kept units were scaled by 1/(1 − p)"),
            (dout * ~keep / (1.0 - p), "the mask is reversed: units with keep == True pass their gradient, "
                                       "dropped ones get 0"),
            (dout / (1.0 - p), "the dropped units must get NO gradient: multiply by the mask keep too"),
            (dout + 0.0, "dX = dout only in eval mode; in training, multiply by the mask and by 1/(1 − p)"),
        ]
    alternatives = [(wrong, hint) for wrong, hint in alternatives
                    if np.all(np.isfinite(wrong)) and not np.allclose(wrong, expected)]
    return Case(label, (dout, keep, p), expected, names=("dX",),
                diag={"dX": {"dout": dout, "alternatives": alternatives}},
                hint="dX = dout · keep / (1 − p)")


def check_dropout_backward(fn):
    """Check ``fn(dout, keep, p) -> dX``: the backward pass of inverted dropout in training mode.

    dout: (N, D) upstream gradient. keep: (N, D) boolean mask, True where the unit was
    kept (drawn as ``rng.random(shape) >= p``). p: the DROP probability, 0 <= p < 1.
    The forward pass was out = X * keep / (1 - p), so dX = dout * keep / (1 - p).
    (``layers.Dropout`` stores the product keep / (1 - p) as its ``mask``.)
    """
    rng = np.random.default_rng(116)

    def case(label, shape, p):
        return _dropout_case(label, rng.normal(size=shape), rng.random(shape) >= p, p)

    cases = [
        _dropout_case("2 x 3, p = 0.2", np.array([[1.0, -2.0, 0.5], [3.0, 1.5, -1.0]]),
                      np.array([[True, False, True], [True, True, False]]), 0.2),
        case("random (4, 5), p = 0.3", (4, 5), 0.3),
        case("random (3, 6), p = 0.6", (3, 6), 0.6),
        _dropout_case("p = 0: nothing dropped", np.array([[0.5, -1.0]]), np.array([[True, True]]), 0.0),
    ]
    return run_cases("check_dropout_backward", fn, cases, ("dout", "keep", "p"))


# ----------------------------------------------------------------- notebook 10
def _softmax(scores):
    shifted = scores - scores.max(axis=1, keepdims=True)  # max-shift: exp never overflows
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def _softmax_case(label, scores, y):
    N, C = scores.shape
    p = _softmax(scores)
    onehot = np.eye(C)[y]  # (N, C)
    expected = (p - onehot) / N
    with np.errstate(all="ignore"):
        sig = 1.0 / (1.0 + np.exp(-scores))
    alternatives = [
        (p / N, "you forgot to subtract 1 at the true class: dscores = (softmax − one_hot(y)) / N"),
        (p, "that is softmax(scores) itself; subtract one_hot(y) and divide by N"),
        ((sig - onehot) / N, "that uses the sigmoid of each score; softmax normalizes each ROW: "
                             "exp(s) / exp(s).sum(axis=1, keepdims=True)"),
        ((p - onehot) / (N * C), "divide by N (the number of examples) only, not by N·C"),
    ]
    alternatives = [(wrong, hint) for wrong, hint in alternatives if not np.allclose(wrong, expected)]
    return Case(label, (scores, y), expected, names=("dscores",),
                diag={"dscores": {"batch_size": N, "alternatives": alternatives}},
                hint="dscores = (softmax(scores) − one_hot(y)) / N")


def check_softmax_gradient(fn):
    """Check ``fn(scores, y) -> dscores``: the gradient of the mean softmax cross-entropy.

    scores: (N, C) class scores; y: (N,) integer labels in [0, C). Returns
    (softmax(scores) - one_hot(y)) / N, shape (N, C): where backprop starts in a
    classifier (``losses.softmax_cross_entropy`` returns the same array).
    """
    rng = np.random.default_rng(117)
    cases = [
        _softmax_case("one example, scores [1, 2, 3], y = [2]", np.array([[1.0, 2.0, 3.0]]), np.array([2])),
        _softmax_case("a batch, N = 4, C = 3", rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])),
        _softmax_case("large scores around 1000 (subtract each row's max first)",
                      1000.0 + rng.normal(size=(3, 4)), np.array([3, 0, 1])),
        _softmax_case("random, N = 6, C = 5", rng.normal(0.0, 3.0, size=(6, 5)), rng.integers(0, 5, size=6)),
    ]
    return run_cases("check_softmax_gradient", fn, cases, ("scores", "y"))


# The capstone: the spiral of data.spiral, split as notebook 10 splits it. The targets
# leave room above what a well-chosen small network reaches (about 0.98-0.99).
CAPSTONE = {
    "spiral": {"n_per_class": 100, "k": 3, "noise": 0.2, "rng": 0},
    "val_fraction": 0.3,
    "split_rng": 0,
    "target": 0.95,  # validation accuracy to reach
    "fresh": {"n_per_class": 200, "k": 3, "noise": 0.2, "rng": 1},  # 600 points never seen in training
    "fresh_target": 0.93,
}


def capstone_data():
    """The capstone's data: X_train (210, 2), X_val (90, 2), y_train (210,), y_val (90,)."""
    from backprop_lessons.data import spiral, train_val_split

    X, y = spiral(**CAPSTONE["spiral"])
    return train_val_split(X, y, val_fraction=CAPSTONE["val_fraction"], rng=CAPSTONE["split_rng"])


def _history_hint(history):
    """What a History says about a run that fell short, or None."""
    if history is None:
        return None
    if getattr(history, "diverged_at", None) is not None:
        return (f"training diverged at epoch {history.diverged_at}: the steps overshoot; "
                "lower the learning rate α")
    norms = np.asarray(getattr(history, "grad_norms", np.zeros((0, 0))), dtype=np.float64)
    if norms.ndim == 2 and norms.shape[0] and norms.shape[1] >= 2:
        first, last = norms[0, 0], norms[0, -1]
        if np.isfinite(first) and np.isfinite(last) and last > 0 and first / last < 0.1:
            return (f"at the start the first layer's gradient was {fmt_number(first / last, 2)} times the "
                    "last layer's: vanishing gradients; use relu (or tanh) with He (or Xavier) init, "
                    "or fewer layers")
    losses = np.asarray(getattr(history, "epoch_loss", []), dtype=np.float64)
    if losses.size >= 10 and np.all(np.isfinite(losses)):
        tail = losses[-max(2, losses.size // 4):]  # the last quarter of training
        if tail[-1] < 0.97 * tail[0]:
            return ("the loss was still falling when training stopped: train for more epochs, "
                    "or take larger steps (a larger α, or Adam)")
        if losses[-1] > 0.8 * losses[0]:
            return ("the loss hardly fell: the steps are too small (α) or the gradients vanish; "
                    "look at the loss curve and the gradient norms")
    train_acc = getattr(history, "train_acc", [])
    val_acc = getattr(history, "val_acc", [])
    if train_acc and val_acc and train_acc[-1] - val_acc[-1] > 0.1:
        return ("training accuracy is far above validation accuracy: overfitting; "
                "try L2 (l2=1e-3), fewer units, or stop earlier")
    return None


def check_capstone(model, X_val, y_val, history=None):
    """Check the capstone classifier: ``model`` (trained) must reach the stated accuracy.

    model: a trained network whose outputs are 3 class scores per row (e.g. mlp([2, ..., 3])).
    X_val (N, 2), y_val (N,): the validation data (``capstone_data()`` gives the split).
    history: optional, the History of training; used to name what went wrong.
    Three checks: 3 scores per row; validation accuracy >= CAPSTONE["target"] (0.95);
    accuracy >= CAPSTONE["fresh_target"] (0.93) on 600 brand-new spiral points.
    """
    from backprop_lessons.data import spiral
    from backprop_lessons.training import predict

    name = "check_capstone"
    if not (callable(getattr(model, "forward", None)) and hasattr(model, "params")):
        return report(name, [(False, f"pass your trained model (e.g. the Sequential that mlp(...) made), "
                                     f"got {type_name(model)}")])
    X_val = np.asarray(X_val, dtype=np.float64)
    y_val = np.asarray(y_val).reshape(-1)
    if X_val.ndim != 2 or X_val.shape[1] != 2 or len(X_val) != len(y_val):
        return report(name, [(False, "X_val must be (N, 2) and y_val (N,): use capstone_data() for the split")])
    try:
        scores = np.asarray(predict(model, X_val), dtype=np.float64)
    except Exception as exc:  # a mis-built model: one sentence, no traceback
        detail = (str(exc).strip().splitlines() or [""])[0][:100]
        return report(name, [(False, f"your model raised {type(exc).__name__} on X_val ({detail}) — hint: "
                                     "the first layer must take 2 inputs (x₁, x₂): mlp([2, ...])")])
    outcomes = []
    C = CAPSTONE["spiral"]["k"]
    if scores.ndim != 2 or scores.shape[1] != C:
        shape = scores.shape[1:] if scores.ndim == 2 else scores.shape
        outcomes.append((False, f"outputs: expected {C} scores per row, got shape {shape} per row — hint: the "
                                f"last layer needs {C} outputs, one per class: mlp([2, ..., {C}])"))
        return report(name, outcomes, noun="checks")
    if not np.all(np.isfinite(scores)):
        outcomes.append((False, "outputs: the scores contain NaN or inf — hint: training diverged; "
                                "lower the learning rate α"))
        return report(name, outcomes, noun="checks")
    outcomes.append((True, f"outputs: {C} scores per row"))

    predicted = scores.argmax(axis=1)
    acc = float(np.mean(predicted == y_val))
    target = CAPSTONE["target"]
    if acc >= target:
        outcomes.append((True, f"validation accuracy {acc:.4f} ≥ {target} ({int(np.sum(predicted == y_val))} "
                               f"of {len(y_val)} points)"))
    else:
        counts = np.bincount(predicted, minlength=C)
        if counts.max() >= 0.9 * len(predicted):
            hint = (f"the network predicts class {int(counts.argmax())} for almost every point: it has hardly "
                    "learned; read its loss curve and gradient norms (vanishing gradients? α far off?)")
        else:
            hint = _history_hint(history) or ("try relu with He init, 2 hidden layers of 64 units, "
                                              "Adam with α ≈ 0.01 for a few hundred epochs")
        outcomes.append((False, f"validation accuracy {acc:.4f} is below the target {target} — hint: {hint}"))

    X_new, y_new = spiral(**CAPSTONE["fresh"])
    new_acc = float(np.mean(np.asarray(predict(model, X_new)).argmax(axis=1) == y_new))
    fresh = CAPSTONE["fresh_target"]
    if new_acc >= fresh:
        outcomes.append((True, f"accuracy on {len(y_new)} brand-new spiral points {new_acc:.4f} ≥ {fresh}"))
    else:
        hint = ("it does well on the points you checked but worse on new ones: overfitting (or X_val "
                "overlaps the training data); use capstone_data()'s validation split, L2 or dropout"
                if acc >= target else "the same problem as above")
        outcomes.append((False, f"accuracy on {len(y_new)} brand-new spiral points {new_acc:.4f} is below "
                                f"{fresh} — hint: {hint}"))
    return report(name, outcomes, noun="checks")
