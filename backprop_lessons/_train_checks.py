"""The checks ``train`` makes once, before the first step: every argument, then one forward pass.

Kept apart from training.py so that the loop reads like notebook 04's. Each
mistake a learner is likely to make gets one sentence that says what to do.
"""

import math
from types import SimpleNamespace

import numpy as np

from backprop_lessons._checks import (
    check_array,
    check_callable,
    check_choice,
    check_in_range,
    check_positive_int,
    check_positive_number,
)
from backprop_lessons.losses import LOSSES, binary_cross_entropy, l2_penalty, softmax_cross_entropy
from backprop_lessons.optim import OPTIMIZERS, make_optimizer

__all__ = ["check_model_input", "check_targets", "check_train_arguments", "set_mode"]

# Losses whose outputs are class scores, so accuracy means something.
_CLASSIFICATION_LOSSES = (binary_cross_entropy, softmax_cross_entropy)


def set_mode(model, training):
    """model.train() or model.eval(), for models that have them."""
    method = getattr(model, "train" if training else "eval", None)
    if method is not None:
        method()


def check_model_input(X, name):
    """Inputs X (N, D): a finite 2-D float64 array."""
    if np.ndim(X) == 1:
        raise ValueError(
            f"{name} must be a 2-D array of shape (N, D), got shape {np.shape(X)}; "
            f"for one feature use {name}.reshape(-1, 1)"
        )
    return check_array(X, name, ndim=2)


def check_targets(y, X, name, x_name):
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
    return model


def _check_loss(loss):
    """Return the loss function for a loss name or a loss function."""
    if isinstance(loss, str):
        return LOSSES[check_choice(loss, LOSSES, "loss")]
    names = ", ".join(sorted(LOSSES))
    return check_callable(loss, "loss", f"a name ({names}) or a function (y_hat, y) -> (loss, dy_hat)")


def _check_optimizer(optimizer, lr):
    lr = check_positive_number(lr, "learning rate")
    if isinstance(optimizer, str):
        return make_optimizer(check_choice(optimizer, OPTIMIZERS, "optimizer"), lr)
    if isinstance(optimizer, type):
        raise TypeError(
            f"optimizer={optimizer.__name__} is a class; pass an optimizer object such as "
            f"{optimizer.__name__}(lr=0.1), or a name such as 'sgd' together with lr=..."
        )
    if callable(getattr(optimizer, "step", None)) and hasattr(optimizer, "lr"):
        return optimizer  # an optimizer object keeps its own lr
    raise TypeError(
        f"optimizer must be a name ({', '.join(sorted(OPTIMIZERS))}) or an optimizer object with "
        f".lr and .step(params, grads), got {type(optimizer).__name__}"
    )


def _check_batch_size(batch_size, n):
    if batch_size is None:
        return n
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer):
        raise TypeError(f"batch_size must be a whole number or None (full batch), got {batch_size!r:.40}")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be between 1 and the number of examples ({n}), got {batch_size}")
    return int(batch_size)


def _check_callbacks(callbacks):
    callbacks = [callbacks] if callable(callbacks) else list(callbacks)
    for f in callbacks:
        check_callable(f, "every callback", "a function callback(model, step)")
    return callbacks


def _first_loss(model, loss_fn, X, y):
    """The data loss on all of X before training, checking what the loss function returns."""
    set_mode(model, False)  # eval mode: Dropout off, BatchNorm's running statistics left alone
    try:
        y_hat = model.forward(X)
        result = loss_fn(y_hat, y)
    finally:
        set_mode(model, True)
    if not (isinstance(result, tuple) and len(result) == 2 and np.shape(result[1]) == np.shape(y_hat)):
        name = getattr(loss_fn, "__name__", "the loss function")
        raise TypeError(
            f"{name} must return a pair (loss, dy_hat): the loss as a number and dL/dy_hat with the "
            f"predictions' shape {np.shape(y_hat)}; it returned {type(result).__name__} {result!r:.60}"
        )
    return float(result[0])


def check_train_arguments(model, X, y, loss, optimizer, lr, epochs, batch_size, rng, clip,
                          schedule, l2, X_val, y_val, explode_factor, callbacks):  # fmt: skip
    """Every argument of ``train``, checked once; returns them ready to use (a namespace)."""
    run = SimpleNamespace(model=_check_model(model), X=check_model_input(X, "X"))
    run.was_training = getattr(model, "training", True)  # restored after training
    run.y = check_targets(y, run.X, "y", "X")
    run.loss_fn = _check_loss(loss)
    run.classify = run.loss_fn in _CLASSIFICATION_LOSSES
    run.optimizer = _check_optimizer(optimizer, lr)
    run.epochs = check_positive_int(epochs, "epochs")
    run.batch_size = _check_batch_size(batch_size, len(run.X))
    run.clip = None if clip is None else check_positive_number(clip, "clip")
    run.l2 = check_in_range(l2, "l2", 0.0, math.inf, "[)")
    if explode_factor is not None and check_positive_number(explode_factor, "explode_factor") <= 1.0:
        raise ValueError(f"explode_factor must be greater than 1 (or None), got {explode_factor:g}")
    if schedule is not None:
        check_callable(schedule, "schedule", "a function epoch -> lr (see optim.step_decay)")
    run.schedule = schedule
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val for validation, or neither")
    run.X_val = None if X_val is None else check_model_input(X_val, "X_val")
    run.y_val = None if y_val is None else check_targets(y_val, run.X_val, "y_val", "X_val")
    run.callbacks = _check_callbacks(callbacks)
    # One forward pass on all of X (and X_val) before training: a wrong feature count or a
    # y that does not fit is reported with the full shapes, and the starting loss (with
    # the L2 penalty, like every step's) sets the explosion threshold.
    first = _first_loss(run.model, run.loss_fn, run.X, run.y)
    if run.X_val is not None:
        _first_loss(run.model, run.loss_fn, run.X_val, run.y_val)
    first += l2_penalty(run.model.params, run.l2)
    run.max_loss = math.inf
    if explode_factor is not None and 0.0 < first < math.inf:
        run.max_loss = explode_factor * first
    return run
