"""History: the record of a training run, one entry per step or per epoch.

Taught in notebook 04 (the loss falls) and 05 (or it diverges); the plots of
later notebooks draw it (``plots.plot_loss_curves``, ``plots.plot_grad_norms``).
"""

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["History"]


@dataclass(repr=False, eq=False)
class History:
    """What happened during ``train``: one entry per step or per epoch.

    step_loss   -- loss of every mini-batch step: data loss + L2 penalty (inf once not finite).
    epoch_loss  -- mean step loss of each epoch (data loss + penalty, the objective
                   training minimizes); len(epoch_loss) = epochs_run.
    data_loss   -- mean data loss of each epoch, without the penalty.
    penalty     -- mean L2 penalty 0.5 * l2 * sum(W**2) of each epoch (0.0 without L2),
                   so epoch_loss = data_loss + penalty.
    val_loss    -- data loss on (X_val, y_val) after each epoch, [] without validation data.
                   The penalty measures the weights, not the fit, so compare val_loss with data_loss.
    train_acc   -- classification losses only: fraction of training points classified
                   correctly during each epoch (from the same forward passes as epoch_loss).
    val_acc     -- classification losses only, with validation data: accuracy after each epoch.
    grad_norms  -- (epochs_run, L) array: L2 norm of each of the L weight matrices' dW (layer 1 =
                   input side), mean over the epoch's steps, measured before clipping.
                   NaN where an epoch had no finished backward pass (its loss was not finite).
    diverged_at -- 1-based epoch at which training diverged, or None.
    lr          -- the learning rate training started with.
    lrs         -- the learning rate used in each epoch (differs from lr with a schedule).
    """

    step_loss: list = field(default_factory=list)
    epoch_loss: list = field(default_factory=list)
    data_loss: list = field(default_factory=list)
    penalty: list = field(default_factory=list)
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

    @staticmethod
    def n_correct(y_hat, y):
        """Correctly classified rows: (N, 1) logits (class 1 when > 0) or (N, C) scores."""
        if y_hat.shape[1] == 1:
            return int(np.count_nonzero((y_hat[:, 0] > 0.0) == (y.reshape(-1) > 0.5)))
        return int(np.count_nonzero(y_hat.argmax(axis=1) == y.reshape(-1)))

    def add_epoch(self, steps, lr, n_weights, batches, val=None, y_val=None, classify=False):
        """Record one epoch from its Steps (and batches: the targets of each step, in order).

        val: (val loss, val outputs) after the epoch, or None without validation data.
        """
        losses = [s.loss for s in steps]
        self.step_loss.extend(losses)
        self.epoch_loss.append(sum(losses) / len(losses))
        self.data_loss.append(sum(s.data_loss for s in steps) / len(steps))
        self.penalty.append(sum(s.penalty for s in steps) / len(steps))
        self.lrs.append(lr)
        norms = [s.grad_norms for s in steps if s.grad_norms]  # steps that finished a backward pass
        row = [sum(column) / len(norms) for column in zip(*norms)] if norms else [math.nan] * n_weights
        self.grad_norms = np.vstack([self.grad_norms.reshape(-1, n_weights), np.reshape(row, (1, n_weights))])
        if classify:
            seen = sum(len(s.y_hat) for s in steps)
            self.train_acc.append(sum(self.n_correct(s.y_hat, yb) for s, yb in zip(steps, batches)) / seen)
        if val is not None:
            self.val_loss.append(val[0])
            if classify:
                self.val_acc.append(self.n_correct(val[1], y_val) / len(y_val))
        if not steps[-1].updated:
            self.diverged_at = self.epochs_run

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
