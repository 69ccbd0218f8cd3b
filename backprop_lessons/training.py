"""The training loop: forward, loss, backward, step, repeated, with a record of what happened.

Taught in notebook 04 (the first full loop, written by hand and then
imported from here) and notebook 05 (learning rate: too small crawls, too
large diverges). Later notebooks call ``train`` to get a ``History`` to plot.

One step on a mini-batch X_b (B, D), y_b:

    out = model.forward(X_b)           # (B, C) scores, or (B, 1)
    loss, dout = loss_fn(out, y_b)     # dout = dloss/dout, same shape as out
    model.backward(dout)               # fills model.grads
    optimizer.step(model.params, model.grads)

Divergence is an expected outcome here, not an error: when the loss stops
being a finite number (or grows ``explode_factor`` times beyond the loss
before training) training stops, ``History.diverged_at`` says when, and numpy's overflow
warnings are silenced so that the learner sees a plot instead of a wall of
RuntimeWarnings.
"""

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from backprop_lessons._checks import as_rng, check_array, check_choice, check_positive_int, check_positive_number
from backprop_lessons.layers import Linear, linear_layers
from backprop_lessons.losses import LOSSES, binary_cross_entropy, get_loss, softmax_cross_entropy
from backprop_lessons.optim import OPTIMIZERS, clip_grad_norm, make_optimizer

__all__ = ["History", "train", "predict", "accuracy"]

# Losses whose outputs are class scores, so accuracy means something.
_CLASSIFICATION_LOSSES = (binary_cross_entropy, softmax_cross_entropy)


@dataclass(repr=False, eq=False)
class History:
    """What happened during ``train``: one entry per step or per epoch.

    step_loss   -- loss of every mini-batch step (float; a non-finite loss is stored as inf).
    epoch_loss  -- mean step loss of each epoch; len(epoch_loss) = epochs_run.
    val_loss    -- loss on (X_val, y_val) after each epoch, [] without validation data.
    train_acc   -- classification losses only: fraction of training points classified
                   correctly during each epoch (from the same forward passes as epoch_loss).
    val_acc     -- classification losses only, with validation data: accuracy after each epoch.
    grad_norms  -- (epochs_run, L) array: L2 norm of each of the L Linear layers' dW (layer 1 =
                   input side), mean over the epoch's steps, measured before clipping.
                   NaN where an epoch had no finished backward pass (its loss was not finite).
    diverged_at -- 1-based epoch at which training diverged, or None.
    lr          -- the learning rate training started with.
    lrs         -- the learning rate used in each epoch (differs from lr with a schedule).

    With L2 regularization, epoch_loss and val_loss include the penalty
    0.5 * l2 * sum(W**2), so the gap between them is the data-fit gap.
    """

    step_loss: list = field(default_factory=list)
    epoch_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    val_acc: list = field(default_factory=list)
    grad_norms: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    diverged_at: int | None = None
    lr: float | None = None
    lrs: list = field(default_factory=list)

    @property
    def epochs_run(self):
        """Number of epochs that ran (including the one that diverged)."""
        return len(self.epoch_loss)

    def summary(self):
        """One line with rounded numbers, e.g. '100 epochs: loss 0.0312, train acc 0.985'."""
        if self.diverged_at is not None:
            last = self.epoch_loss[-1] if self.epoch_loss else math.inf
            lr = f", lr {self.lr:.4g}" if self.lr is not None else ""
            return f"diverged at epoch {self.diverged_at} (loss {last:.4g}{lr}): try a smaller learning rate"
        if not self.epoch_loss:
            return "not trained yet"
        parts = [f"loss {self.epoch_loss[-1]:.4g}"]
        if self.val_loss:
            parts.append(f"val loss {self.val_loss[-1]:.4g}")
        if self.train_acc:
            parts.append(f"train acc {self.train_acc[-1]:.4g}")
        if self.val_acc:
            parts.append(f"val acc {self.val_acc[-1]:.4g}")
        return f"{self.epochs_run} epochs: " + ", ".join(parts)

    def __repr__(self):
        # Short and deterministic: a notebook cell ending in `history` stays readable.
        return f"History({self.summary()})"


# ----------------------------------------------------------------------------- checks
def _check_X(X, name):
    if np.ndim(X) == 1:
        raise ValueError(
            f"{name} must be a 2-D array of shape (N, D), got shape {np.shape(X)}; "
            f"for one feature use {name}.reshape(-1, 1)"
        )
    return check_array(X, name, ndim=2)


def _check_y(y, X, name, x_name):
    """Targets keep their dtype (integer labels stay integers); floats must be finite."""
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of numbers, got dtype {y.dtype}")
    if y.ndim == 0 or len(y) != len(X):
        rows = "a single number" if y.ndim == 0 else f"{len(y)} rows"
        raise ValueError(f"{name} has {rows} but {x_name} has {len(X)}; they need one row per example")
    if y.dtype.kind == "f":
        check_array(y, name)  # only for its NaN/inf message
    return y


def _check_model(model):
    for attr in ("forward", "backward", "params", "grads"):
        if not hasattr(model, attr):
            raise TypeError(
                f"model must be a layer or Sequential (with forward, backward, params, grads), "
                f"got {type(model).__name__} without .{attr}"
            )


def _resolve_loss(loss):
    """Return (loss_fn, is_classification) for a loss name or a loss function."""
    if isinstance(loss, str):
        check_choice(loss, LOSSES, "loss")
        loss = get_loss(loss)
    elif not callable(loss):
        raise TypeError(
            f"loss must be a name ({', '.join(sorted(LOSSES))}) or a function (pred, y) -> (loss, dpred), "
            f"got {type(loss).__name__}"
        )
    return loss, loss in _CLASSIFICATION_LOSSES


def _resolve_optimizer(optimizer, lr):
    if isinstance(optimizer, str):
        check_choice(optimizer, OPTIMIZERS, "optimizer")
        return make_optimizer(optimizer, lr)
    if callable(getattr(optimizer, "step", None)) and hasattr(optimizer, "lr"):
        return optimizer  # an optimizer object keeps its own lr
    raise TypeError(
        f"optimizer must be a name ({', '.join(sorted(OPTIMIZERS))}) or an optimizer object with "
        f".lr and .step(params, grads), got {type(optimizer).__name__}"
    )


def _check_batch_size(batch_size, n):
    if batch_size is None:
        return n
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise TypeError(f"batch_size must be a whole number or None (full batch), got {batch_size!r:.40}")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be between 1 and the number of examples ({n}), got {batch_size}")
    return int(batch_size)


def _check_l2(l2):
    if isinstance(l2, bool) or not isinstance(l2, numbers.Real) or not (math.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 must be a number >= 0, got {l2!r:.40}")
    return float(l2)


def _check_explode_factor(explode_factor):
    if explode_factor is None:
        return None
    explode_factor = check_positive_number(explode_factor, "explode_factor")
    if explode_factor <= 1.0:
        raise ValueError(f"explode_factor must be greater than 1 (or None), got {explode_factor:g}")
    return explode_factor


# ------------------------------------------------------------------------ helpers
def _set_mode(model, training):
    method = getattr(model, "train" if training else "eval", None)
    if method is not None:
        method()


def _layers_to_watch(model):
    """The Linear layers whose dW norms are recorded (a bare Linear is its own list)."""
    return [model] if isinstance(model, Linear) else linear_layers(model)


def _n_correct(out, y):
    """Correctly classified rows of out: (N, 1) logits (class 1 when > 0) or (N, C) scores."""
    if out.shape[1] == 1:
        return int(np.count_nonzero((out[:, 0] > 0.0) == (y.reshape(-1) > 0.5)))
    return int(np.count_nonzero(out.argmax(axis=1) == y.reshape(-1)))


def _l2_penalty(weights, l2):
    return 0.5 * l2 * sum(float(np.vdot(W, W)) for W in weights)


def _forward_loss(model, loss_fn, X, y, weights, l2):
    """Forward pass and loss (+ L2 penalty) on X (N, D): returns (loss, out, dout).

    A loss that is not a finite number comes back as inf with dout None: the
    network has diverged and its gradient is meaningless.
    """
    out = model.forward(X)
    try:
        value, dout = loss_fn(out, y)
    except ValueError:
        if np.all(np.isfinite(out)):
            raise  # a real mistake (e.g. targets that do not fit), not divergence
        return math.inf, out, None  # this loss refuses NaN/inf predictions
    value = float(value)
    if weights:
        value += _l2_penalty(weights, l2)
    if not math.isfinite(value):
        return math.inf, out, None
    return value, out, dout


def _evaluate(model, loss_fn, X, y, weights, l2):
    """(loss, out) on X in eval mode (Dropout off, BatchNorm running stats), then back to train mode."""
    _set_mode(model, False)
    try:
        value, out, _ = _forward_loss(model, loss_fn, X, y, weights, l2)
    finally:
        _set_mode(model, True)
    return value, out


def _batches(n, batch_size, gen):
    """Index arrays of one epoch's mini-batches; None means 'all rows, in order'."""
    if batch_size >= n:
        # Full batch: the mean gradient does not depend on row order, so no shuffle and no copy.
        return (None,)
    order = gen.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]  # ceil(N/B) batches


def _add_l2_gradient(grads, decayed, l2):
    for key, W in decayed:
        grads[key] += l2 * W  # d/dW of 0.5*l2*sum(W**2)


def _add_grad_norms(sums, layers):
    """Add each Linear layer's ||dW|| to ``sums`` (plain floats: cheaper than numpy per step)."""
    for i, layer in enumerate(layers):
        dW = layer.grads["W"]
        sums[i] += math.sqrt(np.vdot(dW, dW))


# -------------------------------------------------------------------------- train
def train(
    model,
    X,
    y,
    loss="mse",
    optimizer="sgd",
    lr=0.1,
    epochs=100,
    batch_size=None,
    rng=0,
    clip=None,
    schedule=None,
    l2=0.0,
    X_val=None,
    y_val=None,
    explode_factor=1e4,
):
    """Train ``model`` in place by mini-batch gradient descent; return a History.

    model      -- a layer or Sequential (forward, backward, params, grads).
    X          -- (N, D) inputs; y -- targets the loss accepts: (N, 1) or (N,) for
                  "mse"/"bce", (N,) integer labels in [0, C) for "softmax".
    loss       -- "mse", "bce" or "softmax" (see losses.py), or a function
                  (pred, y) -> (loss, dpred).
    optimizer  -- "sgd", "momentum", "adam", or an optimizer object (which keeps its own lr
                  and state; call its reset() to start fresh).
    lr         -- learning rate (> 0) for a named optimizer.
    epochs     -- passes over the data (>= 1).
    batch_size -- rows per step, 1..N; None = full batch. Mini-batches are reshuffled
                  every epoch from ``rng``, so an epoch has ceil(N / batch_size) steps.
    clip       -- if set, clip the total gradient norm to this value before each step.
    schedule   -- function epoch (0-based) -> lr, applied at the start of each epoch.
    l2         -- weight decay on every "W" (not biases): loss += 0.5*l2*sum(W**2), dW += l2*W.
    X_val, y_val -- optional validation data, evaluated (eval mode) after every epoch.
    explode_factor -- stop as diverged when a step's loss exceeds explode_factor times
                  the loss before training (on all of X); None: only a non-finite loss counts.
    """
    X = _check_X(X, "X")
    y = _check_y(y, X, "y", "X")
    _check_model(model)
    loss_fn, classify = _resolve_loss(loss)
    lr = check_positive_number(lr, "learning rate")
    opt = _resolve_optimizer(optimizer, lr)
    epochs = check_positive_int(epochs, "epochs")
    n = len(X)
    batch_size = _check_batch_size(batch_size, n)
    clip = None if clip is None else check_positive_number(clip, "clip")
    l2 = _check_l2(l2)
    explode_factor = _check_explode_factor(explode_factor)
    if schedule is not None and not callable(schedule):
        raise TypeError(
            f"schedule must be a function epoch -> lr (see optim.step_decay), got {type(schedule).__name__}"
        )
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val for validation, or neither")
    validate = X_val is not None
    if validate:
        X_val = _check_X(X_val, "X_val")
        y_val = _check_y(y_val, X_val, "y_val", "X_val")
    gen = as_rng(rng)

    params = model.params  # the layers' own arrays: the optimizer updates them in place
    # L2 applies to weight matrices only ("W", "0.W", "2.W", ...): biases shift, they do not scale.
    decayed = [(key, W) for key, W in params.items() if key.rsplit(".", 1)[-1] == "W"] if l2 else []
    weights = [W for _, W in decayed]
    watched = _layers_to_watch(model)
    was_training = getattr(model, "training", True)

    # One forward pass on all of X (and X_val) before training: a wrong feature
    # count or a y that does not fit the predictions is reported with the full
    # shapes instead of a mini-batch's, and the starting loss sets the explosion threshold.
    initial_loss, _ = _evaluate(model, loss_fn, X, y, weights, l2)
    if validate:
        _evaluate(model, loss_fn, X_val, y_val, weights, l2)
    threshold = math.inf
    if explode_factor is not None and 0.0 < initial_loss < math.inf:
        threshold = explode_factor * initial_loss

    history = History()
    norm_rows = []  # per epoch: mean ||dW|| of each watched layer
    _set_mode(model, True)
    try:
        # Overflow and invalid values are expected when lr is too large; the
        # divergence checks below turn them into `diverged_at` instead of warnings.
        with np.errstate(all="ignore"):
            for epoch in range(epochs):
                if schedule is not None:
                    opt.lr = schedule(epoch)
                history.lrs.append(opt.lr)
                losses, n_backward, n_correct, n_seen = [], 0, 0, 0
                norm_sums = [0.0] * len(watched)
                diverged = False
                for idx in _batches(n, batch_size, gen):
                    Xb, yb = (X, y) if idx is None else (X[idx], y[idx])
                    value, out, dout = _forward_loss(model, loss_fn, Xb, yb, weights, l2)
                    losses.append(value)
                    if classify:
                        n_correct += _n_correct(out, yb)
                        n_seen += len(out)
                    if value == math.inf:
                        diverged = True
                        break  # no gradient worth computing

                    model.backward(dout)
                    grads = model.grads
                    _add_l2_gradient(grads, decayed, l2)
                    _add_grad_norms(norm_sums, watched)
                    n_backward += 1
                    if value > threshold:
                        diverged = True
                        break  # exploding: stop before taking the step
                    if clip is not None:
                        clip_grad_norm(grads, clip)
                    opt.step(params, grads)

                history.step_loss.extend(losses)
                history.epoch_loss.append(sum(losses) / len(losses))
                norm_rows.append([total / n_backward if n_backward else math.nan for total in norm_sums])
                if classify:
                    history.train_acc.append(n_correct / n_seen)
                if validate:
                    value, out = _evaluate(model, loss_fn, X_val, y_val, weights, l2)
                    history.val_loss.append(value)
                    if classify:
                        history.val_acc.append(_n_correct(out, y_val) / len(y_val))
                if diverged:
                    history.diverged_at = epoch + 1
                    break
    finally:
        _set_mode(model, was_training)
    history.lr = history.lrs[0]  # the starting lr (schedule(0) when there is a schedule)
    history.grad_norms = np.array(norm_rows, dtype=np.float64).reshape(len(norm_rows), len(watched))
    return history


# ------------------------------------------------------------------ predict, accuracy
def predict(model, X):
    """Model outputs for X (N, D) in eval mode, e.g. (N, C) scores or (N, 1) logits.

    Eval mode matters for Dropout (off) and BatchNorm (running statistics);
    the model's previous mode is restored afterwards.
    """
    X = _check_X(X, "X")
    was_training = getattr(model, "training", False)
    _set_mode(model, False)
    try:
        return model.forward(X)
    finally:
        _set_mode(model, was_training)


def accuracy(model, X, y):
    """Fraction of rows of X (N, D) whose predicted class equals y (N,) (or (N, 1)).

    One output column is read as a logit (class 1 when > 0, i.e. probability > 0.5);
    C columns as class scores (the largest wins).
    """
    out = predict(model, X)
    y = _check_y(y, out, "y", "X")
    return _n_correct(out, y) / len(y)
