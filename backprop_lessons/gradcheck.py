"""Gradient checking: compare backprop's gradients with finite differences.

Taught in notebook 04 (backpropagation), used again in 06, 07 and 09.

The slope of f at x is about (f(x + h) - f(x - h)) / (2h). This *central*
difference is off by about h^2 * f'''/6 (1e-10 for h = 1e-5), far better than
the one-sided (f(x + h) - f(x)) / h, which is off by about h * f''/2.
h cannot be tiny, though: f itself is only known to about 1e-16 * |f| in
float64, and dividing by 2h magnifies that rounding error to ~1e-16 / h.
h = 1e-5 balances both, so a correct gradient agrees to a relative error of
about 1e-7 or better (1e-9 is typical). That is why gradient checks use
float64: float32 rounds at ~1e-7, and 1e-7 / 1e-5 = 1e-2 would swamp everything.
A wrong backward pass usually gives a relative error of 1e-2 or more.
"""

import copy
import numbers

import numpy as np

from backprop_lessons._checks import as_rng, check_array, check_positive_number
from backprop_lessons.network import iter_layers

__all__ = ["numerical_gradient", "rel_error", "check_layer"]


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar function f at x.

    x: a float64 array, nudged IN PLACE one entry at a time (and restored), so f
    may read it from anywhere, e.g. a layer's weight matrix; or a Python number,
    then a float is returned. f(x) must return a number and only READ x: an f that
    writes into x is reported (with x handed back unchanged), since its slope would
    be measured at a moving point.
    Returns an array shaped like x: grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2h).
    """
    h = check_positive_number(h, "h")
    if isinstance(x, numbers.Real) and not isinstance(x, (bool, np.ndarray)):
        x = float(x)
        return (float(f(x + h)) - float(f(x - h))) / (2.0 * h)
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            "x must be a float64 numpy array (it is changed in place, and float32 is too coarse "
            f"for h = {h:g}), got {type(x).__name__} {getattr(x, 'dtype', '')}".rstrip()
        )
    grad = np.zeros_like(x)
    original = x.copy()  # to notice an f that writes into x, and to undo it
    try:
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + h
            f_plus = _call_reading_only(f, x, original, i)
            x[i] = old - h
            f_minus = _call_reading_only(f, x, original, i)
            x[i] = old
            grad[i] = (f_plus - f_minus) / (2.0 * h)
    finally:
        x[...] = original  # x is handed back as it came, even if f raised
    return grad


def _call_reading_only(f, x, original, i):
    """f(x) as a float, checking that f left x as it was (only x[i] differs from the original)."""
    nudged = x[i]
    value = float(f(x))
    expected = original.copy()
    expected[i] = nudged
    if not np.array_equal(x, expected, equal_nan=True):
        j = tuple(int(k) for k in np.argwhere(x != expected)[0])
        raise ValueError(
            f"f changed x in place (x{list(j)} was {float(expected[j])!r} before the call and {float(x[j])!r} "
            "after), so the slope would be measured at a moving point; numerical_gradient nudges x itself, "
            "so f must only read it: work on a copy, e.g. y = x * 2 instead of x *= 2"
        )
    return value


def rel_error(a, b):
    """Largest elementwise relative error max |a - b| / max(1e-8, |a| + |b|).

    The floor 1e-8 stops two (nearly) zero entries from counting as far apart.
    Rough guide: < 1e-7 the gradients agree; > 1e-3 something is wrong.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        # Broadcasting (N,) against (N, 1) would compare the wrong entries.
        raise ValueError(f"cannot compare gradients of shapes {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def check_layer(layer, X, rng=0, h=1e-5):
    """Check a layer's backward pass against finite differences.

    layer: any layer (also a Sequential), in its current train()/eval() mode.
    X (N, D). The scalar loss is L = sum(out * dout) with a random upstream
    gradient dout (from rng), so dL/d(out) = dout and backward(dout) must give dL/dX
    and dL/d(param). Returns {"X": error, "W": error, ...}: rel_error per param.

    The check runs on a copy of the layer, so its weights, running statistics and
    random state stay untouched. Dropout masks in the copy are frozen
    (freeze_mask): a new mask per forward pass would make L jump, not slope.
    """
    _check_is_layer(layer)
    layer = copy.deepcopy(layer)
    for sub in iter_layers(layer):
        if callable(getattr(sub, "freeze_mask", None)):
            sub.freeze_mask()
    X = check_array(X, "X", ndim=2).copy()  # our own float64 copy: it is nudged in place
    out = _forward_reading_only(layer, X)  # also draws the (frozen) dropout masks
    dout = as_rng(rng).standard_normal(out.shape)
    dX = layer.backward(dout)
    analytic = {"X": dX}
    analytic.update({name: g.copy() for name, g in layer.grads.items()})

    def loss(_):
        return np.sum(layer.forward(X) * dout)

    params = layer.params
    numeric = {"X": numerical_gradient(loss, X, h)}
    numeric.update({name: numerical_gradient(loss, p, h) for name, p in params.items()})
    return {name: rel_error(analytic[name], numeric[name]) for name in numeric}


def _check_is_layer(layer):
    if not (callable(getattr(layer, "forward", None)) and callable(getattr(layer, "backward", None))):
        hint = (
            f"; for an activation pass its layer, e.g. activation_layer({layer!r}) from backprop_lessons.layers"
            if isinstance(layer, str)
            else ""
        )
        raise TypeError(
            f"check_layer needs a layer object (with forward and backward), got {type(layer).__name__} "
            f"{layer!r:.40}{hint}"
        )


def _forward_reading_only(layer, X):
    """layer.forward(X), checking that the layer left X as it was."""
    X_before = X.copy()
    out = layer.forward(X)
    if not np.array_equal(X, X_before, equal_nan=True):
        raise ValueError(
            f"{type(layer).__name__}.forward changed its input X in place, so no gradient can be checked "
            "(and backward would see the wrong X): write the result into a new array, e.g. out = X * 2 "
            "instead of X *= 2"
        )
    return out
