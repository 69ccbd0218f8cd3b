"""The training loop: forward, loss, backward, step, repeated, with a record of what happened.

Taught in notebook 04 (the first full loop, written by hand and then imported
from here) and notebook 05 (learning rate: too small crawls, too large
diverges). Later notebooks call ``train`` to get a ``History`` to plot.

``step`` is the body of notebook 04's loop, for one (mini-)batch:

    y_hat = model.forward(X)                 # 1. calculate the error
    data_loss, dy_hat = loss_fn(y_hat, y)
    model.backward(dy_hat)                   # 2. assign the blame
    optimizer.step(model.params, model.grads)   # 3. go adjust the weights

plus what later notebooks add to it: the L2 penalty (09), gradient clipping
(07) and a stop when the loss explodes (05). ``train`` checks its arguments
once, then repeats ``step`` over epochs and mini-batches and records a History.
Divergence is an expected outcome, not an error: when the loss stops being a
finite number (or grows ``explode_factor`` times beyond the loss before
training), training stops, ``History.diverged_at`` says when, and numpy's
overflow warnings are silenced so that the learner sees a plot instead of a
wall of RuntimeWarnings.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from backprop_lessons._checks import as_rng
from backprop_lessons._train_checks import check_model_input, check_targets, check_train_arguments, set_mode
from backprop_lessons.history import History
from backprop_lessons.losses import l2_penalty, weight_keys
from backprop_lessons.optim import clip_grad_norm

__all__ = ["History", "Step", "step", "train", "predict", "accuracy"]


@dataclass
class Step:
    """What one call of ``step`` did.

    loss       -- data_loss + penalty, the number gradient descent makes smaller (inf if not finite).
    data_loss  -- the loss function's value; penalty -- the L2 penalty 0.5 * l2 * sum(W**2).
    y_hat      -- the model's outputs for the batch.
    grad_norms -- ||dW|| of each weight matrix, input side first, before clipping ([] without backward).
    updated    -- whether the optimizer stepped (not when the loss was not finite or too large).
    """

    loss: float
    data_loss: float
    penalty: float
    y_hat: np.ndarray
    grad_norms: list = field(default_factory=list)
    updated: bool = False


def step(model, X, y, loss_fn, optimizer, l2=0.0, clip=None, max_loss=math.inf):
    """One step of gradient descent on the batch X (B, D), y: notebook 04's loop body. Returns a Step.

    The optimizer does not step when the loss is not finite (the network diverged) or above
    ``max_loss`` (it is exploding). Arguments are not checked here: ``train`` checks them once.
    """
    y_hat = model.forward(X)  # 1. calculate the error
    data_loss, dy_hat = loss_fn(y_hat, y)
    penalty = l2_penalty(model.params, l2)
    result = Step(float(data_loss) + penalty, float(data_loss), penalty, y_hat)
    if not math.isfinite(result.loss):
        result.loss = math.inf
        return result  # no gradient worth computing
    model.backward(dy_hat)  # 2. assign the blame
    params, grads = model.params, model.grads
    if l2:
        for key in weight_keys(params):
            grads[key] += l2 * params[key]  # d/dW of 0.5 * l2 * sum(W**2)
    result.grad_norms = [math.sqrt(np.vdot(grads[key], grads[key])) for key in weight_keys(grads)]
    if result.loss > max_loss:
        return result  # exploding: stop before taking the step
    if clip is not None:
        clip_grad_norm(grads, clip)
    optimizer.step(params, grads)  # 3. go adjust the weights
    result.updated = True
    return result


def _evaluate(model, X, y, loss_fn):
    """(data loss, outputs) on X in eval mode (Dropout off, BatchNorm running statistics)."""
    set_mode(model, False)
    try:
        y_hat = model.forward(X)
        value, _ = loss_fn(y_hat, y)
    finally:
        set_mode(model, True)
    value = float(value)
    return (value if math.isfinite(value) else math.inf), y_hat


def _batches(n, batch_size, gen):
    """Index arrays of one epoch's mini-batches; None means 'all rows, in order'."""
    if batch_size >= n:
        # Full batch: the mean gradient does not depend on row order, so no shuffle and no copy.
        return (None,)
    order = gen.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]  # ceil(N/B) batches


def _epoch(run, gen):
    """One pass over the data in mini-batches; returns (Steps, the targets of each step)."""
    steps, targets = [], []
    for idx in _batches(len(run.X), run.batch_size, gen):
        Xb, yb = (run.X, run.y) if idx is None else (run.X[idx], run.y[idx])
        steps.append(step(run.model, Xb, yb, run.loss_fn, run.optimizer, run.l2, run.clip, run.max_loss))
        targets.append(yb)
        for callback in run.callbacks:
            callback(run.model, steps[-1])
        if not steps[-1].updated:
            break  # diverged: History.add_epoch notes it
    return steps, targets


def train(
    model, X, y, loss="mse", optimizer="sgd", lr=0.1, epochs=100, batch_size=None, rng=0, clip=None,
    schedule=None, l2=0.0, X_val=None, y_val=None, explode_factor=1e4, callbacks=(),
):  # fmt: skip
    """Train ``model`` in place by mini-batch gradient descent; return a History.

    model      -- a layer or Sequential (forward, backward, params, grads).
    X          -- (N, D) inputs; y -- targets the loss accepts: (N, 1) or (N,) for
                  "mse"/"bce", (N,) integer labels in [0, C) for "softmax".
    loss       -- "mse", "bce" or "softmax" (see losses.py), or a function (y_hat, y) -> (loss, dy_hat).
    optimizer  -- "sgd", "momentum", "adam", or an optimizer object (which keeps its own lr
                  and state; call its reset() to start fresh).
    lr         -- learning rate (> 0) for a named optimizer.
    epochs     -- passes over the data (>= 1).
    batch_size -- rows per step, 1..N; None = full batch. Mini-batches are reshuffled
                  every epoch from ``rng``, so an epoch has ceil(N / batch_size) steps.
    clip       -- if set, clip the total gradient norm to this value before each step.
    schedule   -- function epoch (0-based) -> lr, applied at the start of each epoch.
    l2         -- weight decay on every "W" (not biases): penalty 0.5*l2*sum(W**2), dW += l2*W.
    X_val, y_val -- optional validation data, evaluated (eval mode) after every epoch.
    explode_factor -- stop as diverged when a step's loss exceeds explode_factor times
                  the loss before training (on all of X); None: only a non-finite loss counts.
    callbacks  -- functions called as ``callback(model, step)`` after every step (``step`` is a Step).
    """
    run = check_train_arguments(**locals())  # every argument above, checked once, by name
    model, opt = run.model, run.optimizer
    gen = as_rng(rng)
    n_weights = len(weight_keys(model.params))
    history = History()
    try:
        # Overflow and invalid values are expected when lr is too large; `step` turns
        # them into a stop (History.diverged_at) instead of warnings.
        with np.errstate(all="ignore"):
            for epoch in range(run.epochs):
                if run.schedule is not None:
                    opt.lr = run.schedule(epoch)
                steps, targets = _epoch(run, gen)
                val = _evaluate(model, run.X_val, run.y_val, run.loss_fn) if run.X_val is not None else None
                history.add_epoch(steps, opt.lr, n_weights, targets, val, run.y_val, run.classify)
                if history.diverged_at is not None:
                    break
    finally:
        set_mode(model, run.was_training)
    history.lr = history.lrs[0]  # the starting lr (schedule(0) with a schedule)
    return history


def predict(model, X):
    """Model outputs for X (N, D) in eval mode, e.g. (N, C) scores or (N, 1) logits.

    Eval mode matters for Dropout (off) and BatchNorm (running statistics);
    the model's previous mode is restored afterwards.
    """
    X = check_model_input(X, "X")
    was_training = getattr(model, "training", False)
    set_mode(model, False)
    try:
        return model.forward(X)
    finally:
        set_mode(model, was_training)


def accuracy(model, X, y):
    """Fraction of rows of X (N, D) whose predicted class equals y (N,) (or (N, 1)).

    One output column is read as a logit (class 1 when > 0, i.e. probability > 0.5);
    C columns as class scores (the largest wins).
    """
    out = predict(model, X)
    y = check_targets(y, out, "y", "X")
    return History.n_correct(out, y) / len(y)
