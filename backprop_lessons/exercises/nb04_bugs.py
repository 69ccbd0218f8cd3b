"""DELIBERATELY BROKEN backward passes, for the bug hunt of notebook 04. Do not use them.

Two exercises use this module:

1. Read the diagnosis. Each ``linear_backward_*`` / ``two_layer_backward_*``
   function below has ONE classic bug, named by the function. Point a checker
   at it and read what it says, e.g.
   ``check_linear_backward(buggy_linear_backward_variants()["missing_transpose"])``.
2. Hunt the bug. ``bug_hunt_suspects()`` returns four implementations of the
   linear layer's backward pass, written in four styles. Exactly one of them is
   wrong. Find it (a gradient check or a checker will tell you), then confirm
   with ``check_bug_hunt("A")`` (or "B", "C", "D").

Every function takes what the matching checker expects:
linear: ``(dout (N, H), X (N, D), W (D, H)) -> (dX (N, D), dW (D, H), db (H,))``;
two-layer: ``(X (N, D), y (N, 1), W1 (D, H), b1 (H,), W2 (H, 1), b2 (1,)) -> dict``
of gradients for a tanh hidden layer and the MSE loss.
"""

import numpy as np

__all__ = ["buggy_linear_backward_variants", "buggy_two_layer_backward_variants", "bug_hunt_suspects"]


# ----------------------------------------------- broken on purpose, bug in the name
def linear_backward_missing_transpose(dout, X, W):
    """BROKEN: dW is computed as dout.T @ X, the transpose of the right (D, H) matrix."""
    return dout @ W.T, dout.T @ X, dout.sum(axis=0)


def linear_backward_db_not_summed(dout, X, W):
    """BROKEN: db keeps one row per example, (N, H), instead of summing over the batch."""
    return dout @ W.T, X.T @ dout, dout


def linear_backward_db_averaged(dout, X, W):
    """BROKEN: db averages over the batch; dout already carries the loss's 1/N, so db must sum."""
    return dout @ W.T, X.T @ dout, dout.mean(axis=0)


def linear_backward_forgot_dout(dout, X, W):
    """BROKEN: uses a gradient of ones instead of the upstream gradient dout."""
    ones = np.ones_like(dout)
    return ones @ W.T, X.T @ ones, ones.sum(axis=0)


def _two_layer_forward(X, W1, b1, W2, b2):
    h = np.tanh(X @ W1 + b1)  # (N, H)
    return h, h @ W2 + b2  # (N, H), (N, 1)


def two_layer_backward_forgot_tanh(X, y, W1, b1, W2, b2):
    """BROKEN: goes from dh straight to W1, skipping the slope of tanh, 1 - h**2."""
    h, y_hat = _two_layer_forward(X, W1, b1, W2, b2)
    dy_hat = 2.0 * (y_hat - y) / y.size  # (N, 1)
    dz1 = dy_hat @ W2.T  # should be multiplied by (1 - h**2)
    return {"W2": h.T @ dy_hat, "b2": dy_hat.sum(axis=0), "W1": X.T @ dz1, "b1": dz1.sum(axis=0)}


def two_layer_backward_wrong_sign(X, y, W1, b1, W2, b2):
    """BROKEN: dE/dy_hat is written 2 (y - y_hat) / N, so every gradient points uphill."""
    h, y_hat = _two_layer_forward(X, W1, b1, W2, b2)
    dy_hat = 2.0 * (y - y_hat) / y.size  # (N, 1)
    dz1 = (dy_hat @ W2.T) * (1.0 - h**2)  # (N, H)
    return {"W2": h.T @ dy_hat, "b2": dy_hat.sum(axis=0), "W1": X.T @ dz1, "b1": dz1.sum(axis=0)}


def buggy_linear_backward_variants():
    """Name -> a broken ``linear_backward(dout, X, W) -> (dX, dW, db)``."""
    return {
        "missing_transpose": linear_backward_missing_transpose,
        "db_not_summed": linear_backward_db_not_summed,
        "db_averaged": linear_backward_db_averaged,
        "forgot_dout": linear_backward_forgot_dout,
    }


def buggy_two_layer_backward_variants():
    """Name -> a broken ``two_layer_backward(X, y, W1, b1, W2, b2) -> dict``."""
    return {"forgot_tanh": two_layer_backward_forgot_tanh, "wrong_sign": two_layer_backward_wrong_sign}


# ------------------------------------------------------- the hunt: one of four is wrong
def suspect_a(dout, X, W):
    """Three matrix products."""
    dX = dout @ W.T  # (N, H) @ (H, D) -> (N, D)
    dW = X.T @ dout  # (D, N) @ (N, H) -> (D, H)
    db = dout.sum(axis=0)  # (H,)
    return dX, dW, db


def suspect_b(dout, X, W):
    """One example at a time: W and b are shared by all N examples."""
    dX = np.zeros_like(X)
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[1])
    for n in range(X.shape[0]):
        dX[n] = W @ dout[n]
        dW += np.outer(X[n], dout[n])
        db += dout[n]
    return dX, dW, db


def suspect_c(dout, X, W):
    """One example at a time, a second way."""
    dX = np.empty_like(X)
    for n in range(X.shape[0]):
        dX[n] = dout[n] @ W.T
        dW = X[n][:, None] * dout[n][None, :]
        db = dout[n].copy()
    return dX, dW, db


def suspect_d(dout, X, W):
    """Einstein summation: name the axes, sum over the repeated one."""
    dX = np.einsum("nh,dh->nd", dout, W)
    dW = np.einsum("nd,nh->dh", X, dout)
    db = np.einsum("nh->h", dout)
    return dX, dW, db


def bug_hunt_suspects():
    """Four ``linear_backward(dout, X, W) -> (dX, dW, db)`` implementations; one is broken."""
    return {"A": suspect_a, "B": suspect_b, "C": suspect_c, "D": suspect_d}
