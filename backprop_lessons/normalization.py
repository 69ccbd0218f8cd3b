"""Batch normalization: each feature rescaled to mean 0 and variance 1 over the batch.

Taught in notebook 07 (vanishing gradients), as one of the fixes that keep a
deep network's signals and gradients at a healthy size.
"""

import numpy as np

from backprop_lessons._checks import check_in_range, check_positive_int, check_positive_number
from backprop_lessons.layer import Layer, check_features

__all__ = ["BatchNorm1d"]


class BatchNorm1d(Layer):
    """Batch normalization over N for each of D features (notebook 07).

    out = gamma * (X - mean) / sqrt(var + eps) + beta; params gamma (D,), beta (D,).
    Training mode uses the batch's mean and variance and updates the running
    averages ``running = momentum * running + (1 - momentum) * batch``;
    eval mode uses the running averages, so one example gives a fixed answer.
    """

    def __init__(self, num_features, momentum=0.9, eps=1e-5):
        super().__init__()
        D = check_positive_int(num_features, "num_features")
        self.momentum = check_in_range(momentum, "momentum", 0.0, 1.0, "[]")
        self.eps = check_positive_number(eps, "eps")
        self.params = {"gamma": np.ones(D), "beta": np.zeros(D)}
        self.grads = {"gamma": np.zeros(D), "beta": np.zeros(D)}
        self.running_mean = np.zeros(D)
        self.running_var = np.ones(D)
        self.xhat = None  # cache: normalized input (N, D), its 1/std (D,), the mode used

    def forward(self, X):
        """X (N, D) -> out (N, D)."""
        check_features(X, self.params["gamma"].shape[0], "BatchNorm1d")
        if self.training:
            if len(X) < 2:
                raise ValueError(
                    f"BatchNorm1d in training mode needs at least 2 examples per batch, got N={len(X)}; "
                    "use a larger batch, or call eval() to use the running statistics"
                )
            mean = X.mean(axis=0)  # (D,)
            var = X.var(axis=0)  # (D,), divides by N (the same variance backward differentiates)
            m = self.momentum
            self.running_mean = m * self.running_mean + (1.0 - m) * mean
            self.running_var = m * self.running_var + (1.0 - m) * var
        else:
            mean, var = self.running_mean, self.running_var
        # eps keeps 1/std finite when a feature is constant over the batch (var = 0).
        self.inv_std = 1.0 / np.sqrt(var + self.eps)  # (D,)
        self.xhat = (X - mean) * self.inv_std  # (N, D): mean 0, variance ~1 per feature
        self.used_batch_stats = self.training
        return self.params["gamma"] * self.xhat + self.params["beta"]

    def backward(self, dout):
        """dout (N, D) -> dX (N, D); fills grads["gamma"] and grads["beta"] (D,)."""
        xhat, inv_std = self.xhat, self.inv_std
        self.grads["gamma"][...] = (dout * xhat).sum(axis=0)
        self.grads["beta"][...] = dout.sum(axis=0)
        dxhat = dout * self.params["gamma"]  # (N, D)
        if not self.used_batch_stats:
            return dxhat * inv_std  # running statistics are constants
        # Every X[n, d] also moves the batch mean and variance of feature d;
        # those two paths give the two subtracted terms (derived in notebook 07).
        N = len(dout)
        return inv_std / N * (N * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))

    def __repr__(self):
        return f"BatchNorm1d({self.params['gamma'].shape[0]}, momentum={self.momentum:g}, eps={self.eps:g})"
