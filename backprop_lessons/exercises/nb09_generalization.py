"""Notebook 09 (generalization): early stopping with patience, the L2 penalty, inverted dropout.

The right answers are computed here with plain numpy, independently of the package's
own training loop and layers; each typical mistake has a signature so the hint can name
it. Reference solutions (for ``show_solution``, and for the notebook's story where it
needs the result) are at the bottom: try first!
"""

import numbers

import numpy as np

from ._format import type_name
from ._runner import _is_stub_error, learner_error, not_written, report

__all__ = ["check_early_stopping", "check_l2_penalty", "check_dropout"]


# ------------------------------------------------------------------ early stopping
def _stopping(val_loss, patience, improves=lambda new, best: new < best, base=1):
    """The patience rule, with switches for its typical mistakes (a tie as an improvement, 0-based)."""
    best, best_epoch = np.inf, 0
    for epoch, loss in enumerate(val_loss, start=1):
        if improves(loss, best):
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch - 1 + base, best_epoch - 1 + base
    return len(val_loss) - 1 + base, best_epoch - 1 + base


def _stopping_mistakes(val_loss, patience):
    """(wrong answer, hint) for each typical mistake of the patience rule."""
    right = _stopping(val_loss, patience)
    wrong = [
        (
            _stopping(val_loss, patience, base=0),
            "epochs count from 1 here (epoch 1 is the first entry); your epochs are 0-based",
        ),
        (
            _stopping(val_loss, patience, improves=lambda new, best: new <= best),
            "an equal loss is not an improvement: a new best needs loss < best (strictly)",
        ),
        (
            _stopping(val_loss, patience + 1),
            "you wait one epoch too long: stop as soon as epoch − best_epoch reaches patience",
        ),
        (
            _stopping(val_loss, max(patience - 1, 1)),
            "you stop one epoch too early: stop when epoch − best_epoch reaches patience, not patience − 1",
        ),
        ((right[1], right[0]), "the order is (stop_epoch, best_epoch)"),
    ]
    return [(w, h) for w, h in wrong if tuple(w) != tuple(right)]


def check_early_stopping(fn):
    """Check ``fn(val_loss, patience) -> (stop_epoch, best_epoch)``, both 1-based.

    val_loss: a list of validation losses, one per epoch. The rule: a loss strictly below
    the best so far is a new best; training stops at the first epoch that is ``patience``
    epochs after the best one (or after the last epoch), and keeps the best epoch's weights.
    A hint is given only when exactly one typical mistake explains the answer.
    """
    name = "check_early_stopping"
    cases = [
        ("always improving: never stops early", [1.0, 0.8, 0.6, 0.5, 0.45], 2),
        ("rises at once, patience 2", [0.5, 0.6, 0.7, 0.8, 0.9], 2),
        ("a tie is not an improvement", [0.9, 0.5, 0.6, 0.5, 0.7, 0.8], 3),
        ("a flat stretch longer than the patience", [1.0, 0.4, 0.45, 0.5, 0.42, 0.41, 0.2], 3),
        ("the same curve, more patience", [1.0, 0.4, 0.45, 0.5, 0.42, 0.41, 0.2, 0.3], 5),
    ]
    outcomes = []
    for label, val_loss, patience in cases:
        right = _stopping(val_loss, patience)
        try:
            got = fn(list(val_loss), patience)
        except Exception as exc:
            if _is_stub_error(exc):
                return not_written(name, fn, len(cases))
            outcomes.append((False, f"{label} — {learner_error(exc, ('val_loss', 'patience'))}"))
            continue
        if not (isinstance(got, (tuple, list)) and len(got) == 2 and all(isinstance(v, numbers.Integral) for v in got)):
            outcomes.append(
                (
                    False,
                    f"{label} — expected a tuple (stop_epoch, best_epoch) of two whole numbers, got {type_name(got)}",
                )
            )
            continue
        got = tuple(int(v) for v in got)
        if got == right:
            outcomes.append((True, label))
            continue
        hints = [h for w, h in _stopping_mistakes(val_loss, patience) if tuple(w) == got]
        hint = (
            hints[0]
            if len(hints) == 1
            else ("keep the best loss and its epoch; stop when epoch − best_epoch reaches patience")
        )
        outcomes.append(
            (False, f"{label} (patience {patience}) — expected (stop, best) = {right}, got {got} — hint: {hint}")
        )
    return report(name, outcomes)


# ------------------------------------------------------------------ the L2 penalty
def _l2_reference(params, lam, weights_only=True, half=True):
    keys = [k for k in params if k.endswith("W") or not weights_only]
    factor = 0.5 if half else 1.0
    penalty = factor * lam * sum(float(np.sum(params[k] ** 2)) for k in keys)
    grads = {k: (2 * factor * lam * params[k] if k in keys else np.zeros_like(params[k])) for k in params}
    return penalty, grads


def check_l2_penalty(fn):
    """Check ``fn(params, lam) -> (penalty, grads)`` for the L2 penalty of a network.

    params: a dict name -> array as ``model.params`` has it ("0.W", "0.b", "2.W", ...).
    penalty = ½·λ·Σ W² over the WEIGHT matrices only (names ending in "W"; biases are
    not penalized); grads: a dict with the same keys, λ·W for each weight matrix and
    zeros for each bias. This is what ``train(..., l2=lam)`` adds.
    """
    name = "check_l2_penalty"
    rng = np.random.default_rng(119)
    cases = [
        ("one layer, λ = 0.1", {"0.W": np.array([[1.0, -2.0], [0.5, 3.0]]), "0.b": np.array([1.0, -1.0])}, 0.1),
        (
            "two layers, λ = 0.01",
            {
                "0.W": rng.normal(size=(2, 4)),
                "0.b": rng.normal(size=4),
                "2.W": rng.normal(size=(4, 1)),
                "2.b": rng.normal(size=1),
            },
            0.01,
        ),
    ]
    mistakes = [
        (
            dict(half=False),
            "twice too large: the ½ in ½·λ·ΣW² cancels the 2 of the square, so the penalty is "
            "½·λ·ΣW² and its gradient λ·W",
        ),
        (
            dict(weights_only=False),
            "the biases are penalized too: only the weight matrices (names ending "
            "in 'W') are, since biases only shift a unit and do not make it steeper",
        ),
    ]
    outcomes = []
    for label, params, lam in cases:
        expected_penalty, expected_grads = _l2_reference(params, lam)
        copies = {k: v.copy() for k, v in params.items()}
        try:
            value = fn(copies, lam)
        except Exception as exc:
            if _is_stub_error(exc):
                return not_written(name, fn, len(cases))
            outcomes.append((False, f"{label} — {learner_error(exc, ('params', 'lam'))}"))
            continue
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], dict)):
            outcomes.append(
                (False, f"{label} — expected a tuple (penalty, grads) with grads a dict, got {type_name(value)}")
            )
            continue
        penalty, grads = value
        if any(not np.array_equal(copies[k], params[k]) for k in params):
            outcomes.append((False, f"{label} — your function changed the parameters in place; it must only read them"))
            continue
        if set(grads) != set(params):
            missing = sorted(set(params) - set(grads))
            outcomes.append(
                (
                    False,
                    f"{label} — grads must have one entry per parameter, keys "
                    f"{sorted(params)}" + (f"; missing {missing}" if missing else ""),
                )
            )
            continue
        got_grads_ok = all(
            np.shape(grads[k]) == params[k].shape and np.allclose(grads[k], expected_grads[k], rtol=1e-7, atol=1e-12)
            for k in params
        )
        if isinstance(penalty, np.ndarray) and penalty.ndim == 0:
            penalty = penalty.item()  # a 0-d array holds one number: accept it
        penalty_ok = isinstance(penalty, numbers.Real) and np.isclose(penalty, expected_penalty, rtol=1e-7)
        if penalty_ok and got_grads_ok:
            outcomes.append((True, label))
            continue
        hint = "penalty = ½·λ·ΣW² over the weight matrices; grads: λ·W for weights, zeros for biases"
        for kwargs, text in mistakes:
            wrong_penalty, wrong_grads = _l2_reference(params, lam, **kwargs)
            if (not penalty_ok and isinstance(penalty, numbers.Real) and np.isclose(penalty, wrong_penalty)) or (
                not got_grads_ok and all(np.allclose(grads[k], wrong_grads[k]) for k in params)
            ):
                hint = text
                break
        part = (
            "penalty and the gradients are"
            if not (penalty_ok or got_grads_ok)
            else "penalty is"
            if not penalty_ok
            else "gradients are"
        )
        if not isinstance(penalty, numbers.Real):
            hint = f"the penalty must be one number, got {type_name(penalty)}"
        outcomes.append((False, f"{label} — the {part} wrong — hint: {hint}"))
    return report(name, outcomes)


# ------------------------------------------------------------------ inverted dropout
def check_dropout(forward, backward):
    """Check a dropout pair: ``forward(X, p, rng, training) -> (out, cache)`` and
    ``backward(dout, cache) -> dX``.

    Training: each entry is dropped with probability p (draw the mask from ``rng``) and the
    survivors are scaled by 1/(1 − p). Evaluation (training=False): out = X. Backward: the
    gradient flows through the SAME mask, with the same scale.
    """
    name = "check_dropout"
    X = np.random.default_rng(120).uniform(1.0, 2.0, size=(400, 50))  # no zeros: a 0 in out means dropped
    outcomes = []

    def call(fn, *args):
        try:
            return fn(*args), None
        except Exception as exc:
            if _is_stub_error(exc):
                raise
            return None, learner_error(exc)

    try:
        (value, error) = call(forward, X.copy(), 0.3, np.random.default_rng(0), True)
    except Exception:
        return not_written(name, forward, 4)
    if error or not (isinstance(value, tuple) and len(value) == 2):
        return report(
            name, [(False, "training mode — " + (error or f"forward must return (out, cache), got {type_name(value)}"))]
        )
    out, cache = value
    out = np.asarray(out, dtype=float)
    dropped = float(np.mean(out == 0))
    kept = out != 0
    scale_ok = np.allclose(out[kept], X[kept] / 0.7)
    if out.shape != X.shape:
        outcomes.append((False, f"training mode — out must have the shape of X {X.shape}, got {out.shape}"))
    elif not 0.27 < dropped < 0.33:
        hint = (
            " — hint: p is the probability of DROPPING a unit; keep it with probability 1 − p"
            if 0.67 < dropped < 0.73
            else ""
        )
        outcomes.append(
            (False, f"training mode — {dropped:.0%} of the entries were dropped, expected about 30 % for p = 0.3{hint}")
        )
    elif not scale_ok:
        unscaled = np.allclose(out[kept], X[kept])
        hint = "you forgot to scale the kept units by 1/(1 − p)" if unscaled else "kept units must be X / (1 − p)"
        outcomes.append((False, f"training mode — the kept entries are not X / (1 − p) — hint: {hint}"))
    else:
        outcomes.append((True, "training mode: about 30 % dropped, the rest scaled by 1/(1 − 0.3)"))

    dout = np.random.default_rng(121).uniform(0.5, 1.5, size=X.shape)  # not all ones: dX must use dout
    try:
        (dX, error) = call(backward, dout.copy(), cache)
    except Exception:
        return not_written(name, backward, 4)
    if error:
        outcomes.append((False, f"backward — {error}"))
    else:
        dX = np.asarray(dX, dtype=float)
        want = dout * kept / 0.7
        if dX.shape == X.shape and np.allclose(dX, want):
            outcomes.append((True, "backward: the gradient flows through the same mask, scaled by 1/(1 − p)"))
        elif dX.shape == X.shape and np.allclose(dX, kept / 0.7):
            outcomes.append(
                (
                    False,
                    "backward — dX does not depend on dout: it is the mask itself; multiply the "
                    "upstream gradient dout by it (chain rule)",
                )
            )
        elif dX.shape == X.shape and np.allclose(dX, dout * kept):
            outcomes.append((False, "backward — hint: scale by 1/(1 − p) as the forward pass did"))
        elif dX.shape == X.shape and np.mean(dX == 0) > 0.2:
            outcomes.append(
                (
                    False,
                    "backward — the dropped entries differ from the forward pass's — hint: "
                    "keep the forward mask in the cache and reuse it; do not draw a new one",
                )
            )
        else:
            outcomes.append((False, "backward — dX = dout · keep / (1 − p), with the forward pass's keep"))

    (value, error) = call(forward, X.copy(), 0.3, np.random.default_rng(0), False)
    if error or not (isinstance(value, tuple) and len(value) == 2):
        outcomes.append((False, "evaluation mode — " + (error or "forward must return (out, cache)")))
    elif np.allclose(np.asarray(value[0], dtype=float), X):
        outcomes.append((True, "evaluation mode: out = X, nothing dropped or scaled"))
    else:
        outcomes.append(
            (
                False,
                "evaluation mode — out must be X unchanged: in evaluation every unit is used, "
                "and the 1/(1 − p) in training already made the averages match",
            )
        )

    (value, error) = call(forward, X.copy(), 0.0, np.random.default_rng(0), True)
    ok = not error and isinstance(value, tuple) and np.allclose(np.asarray(value[0], dtype=float), X)
    outcomes.append(
        (True, "p = 0: nothing dropped")
        if ok
        else (False, "p = 0 — nothing may be dropped or scaled" + (f" ({error})" if error else ""))
    )
    return report(name, outcomes, noun="checks")


# ----------------------------------------------------- reference solutions
def early_stopping_epoch(val_loss, patience):
    """(stop_epoch, best_epoch), 1-based: stop once the loss has not improved for ``patience`` epochs."""
    best, best_epoch = np.inf, 0
    for epoch, loss in enumerate(val_loss, start=1):
        if loss < best:  # strictly lower: a tie is not progress
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_loss), best_epoch


def l2_penalty(params, lam):
    """(½·λ·ΣW² over the weight matrices, grads: λ·W for weights, zeros for biases)."""
    weights = [k for k in params if k.endswith("W")]  # biases are not penalized
    penalty = 0.5 * lam * sum(np.sum(params[k] ** 2) for k in weights)
    grads = {k: lam * params[k] if k in weights else np.zeros_like(params[k]) for k in params}
    return float(penalty), grads


def dropout_forward(X, p, rng, training):
    """Inverted dropout: X (N, D) -> (out (N, D), cache = the mask keep / (1 - p))."""
    if not training:
        return X, None  # evaluation: every unit, unscaled
    mask = (rng.random(X.shape) >= p) / (1.0 - p)  # keep with probability 1 - p, scale the survivors
    return X * mask, mask


def dropout_backward(dout, cache):
    """dX = dout * mask: the same mask (and scale) as the forward pass."""
    return dout * cache


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {
    "check_early_stopping": early_stopping_epoch,
    "check_l2_penalty": l2_penalty,
    "check_dropout": (dropout_forward, dropout_backward),
}
