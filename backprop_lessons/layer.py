"""A layer: a forward and a backward pass. The Layer base class, Linear and the activations.

Taught in notebooks 01 (forward pass: Linear, activations), 04 (backprop:
``backward``) and 06 (activations). Import layers from ``backprop_lessons.layers``,
which gathers them all. Every layer has

* ``forward(X) -> out``: computes the output and keeps (caches) what backward needs;
* ``backward(dout) -> dX``: given dL/d(out), fills ``grads`` with dL/d(param)
  and returns dL/dX (gradients are overwritten, not accumulated);
* ``params`` and ``grads``: dicts with the same keys ({} for layers without
  parameters); ``training`` plus ``train()`` / ``eval()``.

Shapes: N examples per batch, D input features, H output features.

Inputs are checked at the public doors (``train``, ``predict``, ``check_layer``),
not in every layer: a layer's forward and backward hold only the maths, plus a
feature-count check where a learner's mistake is likely.
"""

import functools
import math

import numpy as np

from backprop_lessons._checks import as_rng, check_choice, check_positive_int, check_positive_number
from backprop_lessons.activations import get_activation, leaky_relu, leaky_relu_prime

__all__ = [
    "Layer",
    "check_features",
    "Linear",
    "INITS",
    "init_std",
    "Activation",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "Identity",
    "activation_layer",
]

INITS = ("normal", "xavier", "he")


def check_features(X, D, layer):
    """X must be a batch (N, D): the one mistake a layer itself reports."""
    if X.ndim != 2:
        raise ValueError(
            f"{layer} expects a batch X of shape (N, D) with D = {D}, got shape {X.shape}; "
            "for a single example use X.reshape(1, -1)"
        )
    if X.shape[1] != D:
        raise ValueError(f"{layer} expected {D} features, got {X.shape[1]}")


class Layer:
    """Base class: a layer without parameters, in training mode."""

    def __init__(self):
        self.params = {}
        self.grads = {}
        self.training = True

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def train(self):
        """Training mode (Dropout drops, BatchNorm uses batch statistics). Returns self."""
        self.training = True
        return self

    def eval(self):
        """Evaluation mode (Dropout off, BatchNorm uses running statistics). Returns self."""
        self.training = False
        return self

    def __repr__(self):
        return f"{type(self).__name__}()"


# --------------------------------------------------------------------- Linear
def init_std(init, D, H, std=None):
    """Standard deviation of the initial weights of a (D, H) layer (notebook 07)."""
    check_choice(init, INITS, "init")
    if init == "normal":
        return 1.0 if std is None else check_positive_number(std, "std")
    if std is not None:
        raise ValueError(f"std={std!r} is only used with init='normal'; init={init!r} chooses its own std")
    if init == "xavier":
        return math.sqrt(2.0 / (D + H))  # Glorot: keeps the variance equal forward and backward
    return math.sqrt(2.0 / D)  # He: ReLU zeroes half the units, so double the variance 1/D


class Linear(Layer):
    """Fully connected layer: out = X @ W + b.

    in_features D, out_features H; params W (D, H) and b (H,).
    init: "normal" (N(0, std^2), std defaults to 1.0), "xavier" (std = sqrt(2 / (D + H)))
    or "he" (std = sqrt(2 / D)); b starts at zero. rng: None, an int seed or a Generator.
    """

    def __init__(self, in_features, out_features, init="he", std=None, rng=None):
        super().__init__()
        D = check_positive_int(in_features, "in_features")
        H = check_positive_int(out_features, "out_features")
        self.init = init
        scale = init_std(init, D, H, std)
        self.params = {"W": as_rng(rng).normal(0.0, scale, size=(D, H)), "b": np.zeros(H)}
        self.grads = {"W": np.zeros((D, H)), "b": np.zeros(H)}
        self.X = None  # cache: the input, needed for dW

    @property
    def W(self):
        return self.params["W"]

    @property
    def b(self):
        return self.params["b"]

    def forward(self, X):
        """X (N, D) -> out (N, H)."""
        check_features(X, self.W.shape[0], "Linear")
        self.X = X
        return X @ self.W + self.b  # (N, D) @ (D, H) + (H,) -> (N, H)

    def backward(self, dout):
        """dout (N, H) -> dX (N, D); fills grads["W"] (D, H) and grads["b"] (H,)."""
        dX = dout @ self.W.T  # (N, H) @ (H, D) -> (N, D)
        # Written into the existing arrays, so dicts handed out earlier (Sequential.grads) see them.
        self.grads["W"][...] = self.X.T @ dout  # (D, N) @ (N, H) -> (D, H)
        self.grads["b"][...] = dout.sum(axis=0)  # b was added to every row: sum over N
        return dX

    def __repr__(self):
        D, H = self.W.shape
        return f"Linear({D}, {H}, init={self.init!r})"


# ---------------------------------------------------------------- activations
class Activation(Layer):
    """Elementwise activation f; backward multiplies by f'(X) entry by entry (notebook 06)."""

    def __init__(self, name):
        super().__init__()
        self.f, self.f_prime = get_activation(name)
        self.X = None
        self.out = None

    def forward(self, X):
        """X (N, D) -> f(X) (N, D)."""
        self.X = X
        self.out = self.f(X)
        return self.out

    def local_derivative(self):
        """f'(X) (N, D) for the cached input."""
        return self.f_prime(self.X)

    def backward(self, dout):
        """dout (N, D) -> dX = dout * f'(X) (N, D)."""
        return dout * self.local_derivative()


class Sigmoid(Activation):
    def __init__(self):
        super().__init__("sigmoid")

    def forward(self, X):
        """X (N, D) -> sigma(X) (N, D); only the output is kept, backward needs nothing else."""
        self.out = self.f(X)
        return self.out

    def local_derivative(self):
        # sigma'(x) = sigma(x) (1 - sigma(x)): reuse the forward output, no second exp.
        return self.out * (1.0 - self.out)


class Tanh(Activation):
    def __init__(self):
        super().__init__("tanh")

    def forward(self, X):
        """X (N, D) -> tanh(X) (N, D); only the output is kept, backward needs nothing else."""
        self.out = self.f(X)
        return self.out

    def local_derivative(self):
        # tanh'(x) = 1 - tanh(x)^2: reuse the forward output instead of recomputing tanh.
        return 1.0 - self.out * self.out


class ReLU(Activation):
    def __init__(self):
        super().__init__("relu")


class Identity(Activation):
    def __init__(self):
        super().__init__("identity")


class LeakyReLU(Activation):
    """max(x, alpha * x) with a small positive slope alpha for x < 0."""

    def __init__(self, alpha=0.01):
        super().__init__("leaky_relu")
        self.alpha = check_positive_number(alpha, "alpha")
        self.f = functools.partial(leaky_relu, alpha=self.alpha)
        self.f_prime = functools.partial(leaky_relu_prime, alpha=self.alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha:g})"


_ACTIVATION_LAYERS = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "leaky_relu": LeakyReLU, "identity": Identity}


def activation_layer(name):
    """The layer for an activation name, e.g. activation_layer("tanh") -> Tanh()."""
    return _ACTIVATION_LAYERS[check_choice(name, _ACTIVATION_LAYERS, "activation")]()
