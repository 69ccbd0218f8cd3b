"""Activation functions f and their derivatives f', elementwise on numpy arrays.

Taught in notebook 06 (activations); sigmoid and tanh first appear in 01.

Backpropagation through an activation needs only its derivative at the
input: ``dX = dout * f_prime(X)``. Every function here takes an array of any
shape and returns a float64 array of the same shape.
"""

import numpy as np

from backprop_lessons._checks import check_choice

__all__ = [
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
    "relu",
    "relu_prime",
    "leaky_relu",
    "leaky_relu_prime",
    "identity",
    "identity_prime",
    "ACTIVATIONS",
    "get_activation",
]


def _float(x):
    return np.asarray(x, dtype=np.float64)


def sigmoid(x):
    """sigma(x) = 1 / (1 + e^-x), squashing any number into (0, 1)."""
    # For x < -709, e^-x overflows to inf and 1 / (1 + inf) = 0.0: the right answer (the true
    # value is below 1e-308), so the overflow is expected and numpy need not warn about it.
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-_float(x)))


def sigmoid_prime(x):
    """sigma'(x) = sigma(x) (1 - sigma(x)); at most 0.25, at x = 0."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x):
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x), in (-1, 1); numpy's version is stable."""
    return np.tanh(_float(x))


def tanh_prime(x):
    """tanh'(x) = 1 - tanh(x)^2; at most 1, at x = 0."""
    t = np.tanh(_float(x))
    return 1.0 - t * t


def relu(x):
    """relu(x) = max(0, x)."""
    return np.maximum(_float(x), 0.0)


def relu_prime(x):
    """1 where x > 0, else 0 (at the kink x = 0 we take 0, the usual convention)."""
    return (_float(x) > 0).astype(np.float64)


def leaky_relu(x, alpha=0.01):
    """x where x > 0, else alpha * x: a small slope keeps 'dead' units learning."""
    x = _float(x)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_prime(x, alpha=0.01):
    """1 where x > 0, else alpha (alpha at the kink x = 0)."""
    return np.where(_float(x) > 0, 1.0, float(alpha))


def identity(x):
    """f(x) = x: no activation (used for the output scores)."""
    return _float(x).copy()


def identity_prime(x):
    """f'(x) = 1 everywhere."""
    return np.ones_like(_float(x))


# name -> (f, f_prime); the names are the ones mlp(..., activation=...) accepts.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "identity": (identity, identity_prime),
}


def get_activation(name):
    """Return ``(f, f_prime)`` for an activation name such as ``"tanh"``.

    >>> f, f_prime = get_activation("tanh")
    >>> float(f_prime(0.0))
    1.0
    """
    return ACTIVATIONS[check_choice(name, ACTIVATIONS, "activation")]
