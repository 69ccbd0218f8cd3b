"""Loss functions: one number that says how wrong the predictions are, and its gradient.

Taught in notebook 02 (loss: mse) and used from notebook 04 on (cross-entropies).

Each loss returns ``(loss, dpred)``: the loss as a float and dL/d(pred), an
array with the shape of the predictions, ready to be passed to
``model.backward``. Predictions may contain inf or NaN (a diverging network):
the loss is then not finite and the training loop stops; targets must be clean.

Targets and predictions: if the predictions are a column (N, 1) and the targets
a flat vector (N,), the targets are treated as a column. Any other mismatch is
an error, because numpy would silently broadcast (N, 1) - (N,) to (N, N).
"""

import numpy as np

from backprop_lessons._checks import check_array, check_choice
from backprop_lessons.activations import sigmoid

__all__ = ["mse", "binary_cross_entropy", "softmax_cross_entropy", "l2_penalty", "weight_keys", "LOSSES", "get_loss"]


def _predictions(pred, name="predictions"):
    pred = check_array(pred, name, finite=False)
    if pred.size == 0:
        raise ValueError(f"{name} are empty; a loss needs at least one example")
    return pred


def _fit_targets(y, pred):
    """Targets y with the shape of pred, or one clear ValueError."""
    y = check_array(y, "targets")
    if y.shape == pred.shape:
        return y
    if pred.ndim == 2 and pred.shape[1] == 1 and y.shape == (pred.shape[0],):
        return y[:, None]  # (N,) -> (N, 1)
    raise ValueError(f"targets of shape {y.shape} do not fit predictions of shape {pred.shape}")


def _class_labels(y, scores):
    """Integer labels (N,) in [0, C) for scores (N, C), or one clear ValueError."""
    if scores.ndim != 2:
        raise ValueError(f"scores must be a 2-D array (N, C), got shape {scores.shape}")
    N, C = scores.shape
    labels = check_array(y, "targets")
    if labels.shape != (N,):
        raise ValueError(
            f"targets of shape {labels.shape} do not fit predictions of shape {scores.shape}; "
            f"softmax cross-entropy needs one integer label per row, shape ({N},)"
        )
    if not np.all(labels == np.round(labels)):
        raise ValueError("labels must be whole numbers (class indices 0, 1, ..., C-1)")
    bad = np.flatnonzero((labels < 0) | (labels >= C))
    if bad.size:
        raise ValueError(f"label {labels[bad[0]]:g} at row {bad[0]} is out of range for {C} classes (0 to {C - 1})")
    return labels.astype(np.int64)


def mse(y_hat, y):
    """Mean squared error over all entries: mean((y_hat - y)^2).

    y_hat (N, 1) or any shape, y the same shape (or (N,) for (N, 1)).
    Returns (loss, dy_hat) with dy_hat = 2 (y_hat - y) / n, n = number of entries.
    """
    y_hat = _predictions(y_hat)
    y = _fit_targets(y, y_hat)
    diff = y_hat - y
    return float(np.mean(diff * diff)), 2.0 * diff / diff.size


def binary_cross_entropy(logits, y):
    """Binary cross-entropy of sigmoid(logits) against labels y in {0, 1}, from the logits.

    logits (N, 1) or (N,), y the same shape (or (N,) for (N, 1)). Mean over all
    entries (over N for one column). Returns (loss, dlogits), dlogits = (sigmoid(z) - y) / N.
    """
    z = _predictions(logits, "logits")
    y = _fit_targets(y, z)
    bad = np.flatnonzero((y != 0) & (y != 1))
    if bad.size:
        i = bad[0]
        raise ValueError(f"binary cross-entropy needs labels 0 or 1, got {y.flat[i]:g} at entry {i}")
    # -[y log s(z) + (1 - y) log(1 - s(z))] simplifies to softplus(z) - y z, with
    # softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^-|z|): e^-|z| <= 1 never
    # overflows and log1p stays accurate when e^-|z| is tiny. z = +-1000 is fine.
    softplus = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    loss = np.mean(softplus - y * z)
    return float(loss), (sigmoid(z) - y) / z.size


def softmax_cross_entropy(scores, y):
    """Softmax cross-entropy: mean over N of -log softmax(scores)[n, y[n]].

    scores (N, C) unnormalized class scores (logits), y (N,) integer labels in [0, C).
    Returns (loss, dscores) with dscores = (softmax(scores) - onehot(y)) / N, shape (N, C).
    """
    scores = _predictions(scores, "scores")
    labels = _class_labels(y, scores)
    N = len(scores)
    # Subtracting each row's max changes no probability (it cancels in the ratio)
    # but makes every exponent <= 0, so exp cannot overflow (scores of 1000 work).
    shifted = scores - scores.max(axis=1, keepdims=True)  # (N, C)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-softmax (N, C)
    rows = np.arange(N)
    loss = -np.mean(log_probs[rows, labels])
    dscores = np.exp(log_probs)  # softmax (N, C)
    dscores[rows, labels] -= 1.0
    return float(loss), dscores / N


def weight_keys(params):
    """The keys of the weight matrices W ("W", "0.W", "2.W", ...): L2 decays them, not the biases."""
    return [key for key in params if key.rsplit(".", 1)[-1] == "W"]


def l2_penalty(params, l2):
    """0.5 * l2 * (sum of every squared weight), the price of large weights (notebook 09).

    params: a model's params dict; biases are left out (they shift a unit, they do not steepen it).
    Its gradient, l2 * W for each W, is what train(..., l2=...) adds to every dW.
    """
    if not l2:
        return 0.0
    return 0.5 * l2 * sum(float(np.vdot(params[key], params[key])) for key in weight_keys(params))


LOSSES = {"mse": mse, "bce": binary_cross_entropy, "softmax": softmax_cross_entropy}


def get_loss(name):
    """The loss function for a name: "mse", "bce" or "softmax"."""
    return LOSSES[check_choice(name, LOSSES, "loss")]
