"""Checkers for notebook 07 (vanishing and exploding gradients).

The exercises: the bound on a chain of sigmoid neurons, clipping by the global norm,
the backward pass of a residual block, and the backward pass of batch normalization.
The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. A hint is
given only when the signature is unambiguous on that case: where two mistakes give the
same number, neither is named and the checker says what differs. Reference solutions
(for ``show_solution``) are at the bottom: try first!
"""

import numpy as np

from ._runner import Case, run_cases
from .diagnose import close

__all__ = ["check_vanishing_bound", "check_clip_by_norm", "check_residual_backward", "check_batchnorm_backward"]


def _unambiguous(alternatives, expected):
    """Keep the (wrong answer, hint) pairs that differ from the right answer and from
    every other mistake with a different hint on this case (one signature, one hint)."""
    kept = []
    for i, (wrong, hint) in enumerate(alternatives):
        wrong = np.asarray(wrong, dtype=float)
        if not np.all(np.isfinite(wrong)) or close(wrong, expected):
            continue
        clash = any(
            h != hint and np.shape(w) == wrong.shape and close(np.asarray(w, float), wrong)
            for j, (w, h) in enumerate(alternatives)
            if j != i
        )
        if not clash:
            kept.append((wrong, hint))
    return kept


# ------------------------------------------------------------------ exercise 1
def _bound_case(L, w):
    right = (0.25 * abs(w)) ** L
    alternatives = [
        (0.25**L, "the weight is missing: every factor is w·σ'(z), at most 0.25·|w|"),
        (abs(w) * 0.25**L, "w appears in EVERY factor, not once: (0.25·|w|)**L"),
        ((0.25 * w) ** L, "a bound on a size uses |w|: with a negative w your answer has the wrong sign"),
        (0.25 * abs(w) * L, "you multiplied by L; the chain rule MULTIPLIES one factor per layer: (0.25·|w|)**L"),
        ((0.5 * abs(w)) ** L, "the sigmoid's largest slope is 0.25 (at z = 0), not 0.5"),
        ((0.25 * abs(w)) ** (L - 1), "off by one layer: one factor per layer, L factors"),
        ((0.25 * abs(w)) ** (L + 1), "off by one layer: one factor per layer, L factors"),
        (float(L) ** 0.25, "exponent and base swapped: the factor is the base, L the exponent"),
        (float(L) ** (0.25 * abs(w)), "exponent and base swapped: the factor is the base, L the exponent"),
    ]
    return Case(
        f"L = {L}, w = {w:g}",
        (L, w),
        right,
        names=("bound",),
        diag={"bound": {"alternatives": _unambiguous(alternatives, right)}},
        hint="each layer multiplies the gradient by w·σ'(z), and σ'(z) ≤ 0.25",
    )


def check_vanishing_bound(fn):
    """Check ``fn(L, w) -> (0.25 * |w|)**L``: the most a chain of L sigmoid neurons,
    each with weight w, can pass a gradient back (the size of ∂a_L/∂x).

    L: a positive int (the number of layers), w: a number. Returns a single number.
    """
    cases = [_bound_case(L, w) for L, w in ((3, 1.0), (10, 1.0), (5, 8.0), (3, -2.0), (30, 1.0))]
    return run_cases("check_vanishing_bound", fn, cases, ("L", "w"))


# ------------------------------------------------------------------ exercise 2
def _norm(grads):
    arrays = grads.values() if isinstance(grads, dict) else [grads]
    return float(np.sqrt(sum(np.sum(np.square(g)) for g in arrays)))


def _clip_case(label, grads, max_norm):
    norm = _norm(grads)
    scale = min(1.0, max_norm / norm)
    mistakes = [
        (
            lambda g: np.clip(g, -max_norm, max_norm),
            "you clipped each entry; clip the NORM instead: scale the whole gradient by max_norm / norm",
        ),
        (lambda g: g * max_norm / norm, "you scaled a small gradient UP; clip only when norm > max_norm"),
        (lambda g: g / norm, "you normalised to length 1; scale to length max_norm: g * max_norm / norm"),
        (lambda g: g * norm / max_norm, "your ratio is upside down: g * max_norm / norm"),
        (
            lambda g: g * min(1.0, max_norm / np.sqrt(np.sum(g**2))),
            "you clipped each array by its own norm; use ONE global norm over all arrays together",
        ),
    ]
    if isinstance(grads, dict):
        expected = {k: g * scale for k, g in grads.items()}
        diag = {
            k: {"alternatives": _unambiguous([(m(g), h) for m, h in mistakes], g * scale)} for k, g in grads.items()
        }
        names = ()
    else:
        expected = grads * scale
        diag = {"clipped": {"alternatives": _unambiguous([(m(grads), h) for m, h in mistakes], expected)}}
        names = ("clipped",)
    return Case(
        label,
        (grads, max_norm),
        expected,
        names=names,
        diag=diag,
        hint="norm = sqrt(sum of all squares); if norm > max_norm, multiply by max_norm / norm",
    )


def check_clip_by_norm(fn):
    """Check ``fn(grads, max_norm) -> clipped``: gradient clipping by the global norm.

    grads: an array, or a dict name -> array. max_norm: a positive number.
    Returns the same kind of thing: unchanged if the total L2 norm (over every
    entry of every array) is at most max_norm, otherwise scaled by max_norm / norm.
    """
    rng = np.random.default_rng(112)
    cases = [
        _clip_case("[3, 4] with max_norm = 1", np.array([3.0, 4.0]), 1.0),
        _clip_case("[0.3, -0.4] with max_norm = 1 (small: unchanged)", np.array([0.3, -0.4]), 1.0),
        _clip_case("a (3, 4) array with max_norm = 2", rng.normal(0, 3, size=(3, 4)), 2.0),
        _clip_case(
            "a dict {W (2, 2), b (2,)} with max_norm = 5",
            {"W": rng.normal(0, 6, size=(2, 2)), "b": rng.normal(0, 6, size=2)},
            5.0,
        ),
    ]
    return run_cases("check_clip_by_norm", fn, cases, ("grads", "max_norm"), mutable=("grads",))


# ------------------------------------------------------------------ exercise 3
def _residual_grads(dout, X, W, b, mistake=None):
    """Gradients of out = X + tanh(X @ W + b) (one of the typical mistakes, if named)."""
    z = X @ W + b  # (N, D)
    h = np.tanh(z)  # (N, D)
    slope = {"of_z": 1 - z**2, "no_slope": np.ones_like(z)}.get(mistake, 1 - h**2)
    dz = dout * slope  # (N, D)
    dX_branch = dz @ (W if mistake == "not_transposed" else W.T)  # (N, D)
    dX = {"no_skip": dX_branch, "no_branch": dout}.get(mistake, dout + dX_branch)
    return dX, X.T @ dz, dz.sum(axis=0)


_RESIDUAL_MISTAKES = {
    "no_skip": "you dropped the skip path: out = X + F(X), so dX = dout + (the branch's dX)",
    "no_branch": "you kept only the skip path: the branch F(X) depends on X too, add its dX",
    "of_z": "the slope of tanh is 1 − tanh(z)**2 = 1 − h**2, not 1 − z**2",
    "no_slope": "you skipped the tanh: multiply dout by its slope 1 − h**2 before going through W",
    "not_transposed": "back through X @ W the gradient goes through W.T: dz @ W.T",
}


def _residual_case(label, dout, X, W, b):
    right = _residual_grads(dout, X, W, b)
    wrong = {m: _residual_grads(dout, X, W, b, m) for m in _RESIDUAL_MISTAKES}
    N = X.shape[0]
    diag = {
        name: {
            "batch_size": N,
            "alternatives": _unambiguous([(wrong[m][i], h) for m, h in _RESIDUAL_MISTAKES.items()], right[i]),
        }
        for i, name in enumerate(("dX", "dW", "db"))
    }
    hint = {
        "dX": "two paths reach X: the skip (dout itself) and the branch (dz @ W.T); add them",
        "dW": "dW = X.T @ dz with dz = dout * (1 − h**2): the skip path has no weights",
        "db": "db adds dz = dout * (1 − h**2) up over the batch axis",
    }
    return Case(label, (dout, X, W, b), right, names=("dX", "dW", "db"), diag=diag, hint=hint)


def check_residual_backward(fn):
    """Check ``fn(dout, X, W, b) -> (dX, dW, db)``: backward of a residual block
    out = X + tanh(X @ W + b).

    dout: (N, D) upstream gradient. X: (N, D). W: (D, D). b: (D,).
    Returns dX (N, D), dW (D, D), db (D,).
    """
    rng = np.random.default_rng(171)
    cases = []
    for label, N, D in (
        ("one example, N = 1, D = 2", 1, 2),
        ("a batch, N = 4, D = 3", 4, 3),
        ("random, N = 6, D = 5", 6, 5),
    ):
        cases.append(
            _residual_case(
                label,
                rng.normal(size=(N, D)),
                rng.normal(size=(N, D)),
                rng.normal(0, 0.7, size=(D, D)),
                rng.normal(0, 0.5, size=D),
            )
        )
    return run_cases("check_residual_backward", fn, cases, ("dout", "X", "W", "b"))


# ------------------------------------------------------------------ exercise 4
def _batchnorm_grads(dout, X, gamma, eps, mistake=None):
    """Gradients of out = gamma * (X - mean) / sqrt(var + eps) + beta over the batch axis."""
    N = X.shape[0]
    mean, var = X.mean(axis=0), X.var(axis=0)  # (D,), the variance divides by N
    inv_std = {"eps_outside": 1.0 / (np.sqrt(var) + eps), "no_eps": 1.0 / np.sqrt(var)}.get(
        mistake, 1.0 / np.sqrt(var + eps)
    )  # (D,)
    xhat = (X - mean) * inv_std  # (N, D)
    dxhat = dout if mistake == "no_gamma" else dout * gamma  # (N, D)
    mean_term = 0.0 if mistake in ("constants", "no_mean") else dxhat.sum(axis=0)
    var_term = 0.0 if mistake in ("constants", "no_var") else xhat * (dxhat * xhat).sum(axis=0)
    dX = inv_std / N * (N * dxhat - mean_term - var_term)
    dgamma = (dout * (X if mistake == "dgamma_X" else xhat)).sum(axis=0)
    return dX, dgamma, dout.sum(axis=0)


_BATCHNORM_MISTAKES = {
    "constants": "you treated the batch mean and variance as constants; every X[n] also moves both, "
    "so two more paths reach X[n] (through the mean and through the variance)",
    "no_mean": "the path through the batch MEAN is missing: subtract the mean of dx̂ over the batch",
    "no_var": "the path through the batch VARIANCE is missing: subtract x̂ times the mean of dx̂·x̂",
    "no_gamma": "γ is missing: out = γ·x̂ + β, so dx̂ = dout·γ before going back to X",
    "dgamma_X": "dγ multiplies dout by the NORMALIZED input x̂, not by X",
    "eps_outside": "ε goes INSIDE the square root: 1 / sqrt(var + eps), as in the forward pass",
    "no_eps": "ε is missing: the forward pass divides by sqrt(var + eps)",
}


def _batchnorm_case(label, dout, X, gamma, eps=1e-5):
    right = _batchnorm_grads(dout, X, gamma, eps)
    wrong = {m: _batchnorm_grads(dout, X, gamma, eps, m) for m in _BATCHNORM_MISTAKES}
    N = X.shape[0]
    diag = {
        name: {
            "batch_size": N,
            "alternatives": _unambiguous([(wrong[m][i], h) for m, h in _BATCHNORM_MISTAKES.items()], right[i]),
        }
        for i, name in enumerate(("dX", "dgamma", "dbeta"))
    }
    hint = {
        "dX": "x̂ = (X − mean)/std, and the mean and std depend on every X[n]: three paths to add",
        "dgamma": "dγ = sum over the batch of dout · x̂",
        "dbeta": "dβ = sum over the batch of dout",
    }
    return Case(label, (dout, X, gamma, eps), right, names=("dX", "dgamma", "dbeta"), diag=diag, hint=hint)


def check_batchnorm_backward(fn):
    """Check ``fn(dout, X, gamma, eps) -> (dX, dgamma, dbeta)``: the backward pass of
    batch normalization in training mode.

    Forward: mean = X.mean(axis=0), var = X.var(axis=0) (dividing by N),
    xhat = (X - mean) / sqrt(var + eps), out = gamma * xhat + beta.
    dout: (N, D). X: (N, D). gamma: (D,). eps: a small positive number.
    Returns dX (N, D), dgamma (D,), dbeta (D,).
    """
    rng = np.random.default_rng(172)
    cases = [
        _batchnorm_case(
            "N = 3, D = 1", np.array([[1.0], [-2.0], [0.5]]), np.array([[0.0], [1.0], [3.0]]), np.array([2.0])
        ),
        _batchnorm_case(
            "N = 5, D = 3", rng.normal(size=(5, 3)), rng.normal(2.0, 3.0, size=(5, 3)), rng.uniform(0.5, 2.0, size=3)
        ),
        _batchnorm_case(
            "N = 8, D = 4, features of very different scales",
            rng.normal(size=(8, 4)),
            rng.normal(size=(8, 4)) * np.array([0.1, 1.0, 10.0, 100.0]),
            rng.uniform(0.5, 2.0, size=4),
        ),
    ]
    return run_cases("check_batchnorm_backward", fn, cases, ("dout", "X", "gamma", "eps"))


# ----------------------------------------------------- reference solutions
def vanishing_bound(L, w):
    """The most a chain of L sigmoid neurons with weight w can pass back: (0.25·|w|)**L."""
    return (0.25 * abs(w)) ** L  # one factor w·σ'(z) per layer, and σ'(z) ≤ 0.25


def clip_by_norm(grads, max_norm):
    """Scale an array (or a dict of arrays) down to total L2 norm max_norm, if above it."""
    arrays = grads.values() if isinstance(grads, dict) else [grads]
    norm = np.sqrt(sum(np.sum(g**2) for g in arrays))  # ONE norm over every entry
    scale = min(1.0, max_norm / norm)
    if isinstance(grads, dict):
        return {name: g * scale for name, g in grads.items()}
    return grads * scale


def residual_backward(dout, X, W, b):
    """Backward of out = X + tanh(X @ W + b): dout (N, D) -> dX (N, D), dW (D, D), db (D,)."""
    h = np.tanh(X @ W + b)  # (N, D): recompute the forward pass
    dz = dout * (1 - h**2)  # (N, D): back through tanh
    dX = dout + dz @ W.T  # the skip path hands dout back unchanged; the branch adds its part
    return dX, X.T @ dz, dz.sum(axis=0)


def batchnorm_backward(dout, X, gamma, eps):
    """Backward of batch normalization: dout (N, D) -> dX (N, D), dgamma (D,), dbeta (D,)."""
    N = X.shape[0]
    mean, var = X.mean(axis=0), X.var(axis=0)  # (D,)
    inv_std = 1.0 / np.sqrt(var + eps)  # (D,)
    xhat = (X - mean) * inv_std  # (N, D)
    dxhat = dout * gamma  # (N, D)
    # three paths from X[n]: directly, through the mean, through the variance
    dX = inv_std / N * (N * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))
    return dX, (dout * xhat).sum(axis=0), dout.sum(axis=0)


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {
    "check_vanishing_bound": vanishing_bound,
    "check_clip_by_norm": clip_by_norm,
    "check_residual_backward": residual_backward,
    "check_batchnorm_backward": batchnorm_backward,
}
