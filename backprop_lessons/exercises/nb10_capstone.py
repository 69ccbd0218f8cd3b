"""Checkers for notebook 10 (the capstone): the softmax cross-entropy gradient, the trained classifier.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numbers

import numpy as np

from ._format import fmt_number, type_name
from ._runner import Case, report, run_cases

__all__ = ['check_softmax_gradient', 'CAPSTONE', 'capstone_data', 'check_capstone']


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


# ----------------------------------------------------- reference solutions
def softmax_gradient(scores, y):
    """dE/dscores for the mean softmax cross-entropy: (softmax - one_hot(y)) / N, shape (N, C)."""
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)  # exp of numbers <= 0 cannot overflow
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)  # (N, C), rows sum to 1
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1.0  # subtract the one-hot of the true class
    return dscores / N  # the loss is a mean over N examples


def capstone():
    """A configuration that passes check_capstone: returns (model, history, X_val, y_val).

    Two hidden layers of 64 ReLU units with He init (no vanishing gradients), Adam with
    lr = 0.01 (no learning rate to hand-tune per layer), 300 full-batch epochs.
    """
    from backprop_lessons.layers import mlp
    from backprop_lessons.training import train

    X_train, X_val, y_train, y_val = capstone_data()
    model = mlp([2, 64, 64, 3], activation="relu", init="he", rng=0)
    history = train(model, X_train, y_train, loss="softmax", optimizer="adam", lr=0.01, epochs=300,
                    X_val=X_val, y_val=y_val)
    return model, history, X_val, y_val


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_softmax_gradient": softmax_gradient, "check_capstone": capstone}
