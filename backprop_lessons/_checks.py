"""Input checks for the package's public doors: one clear message for each likely mistake.

A learner who passes a negative learning rate or a dataset with a NaN in it
should read one sentence that names the problem and says what to do, not a
traceback from deep inside numpy. Public functions (``train``, ``mlp``, a layer's
constructor, an optimizer, a loss) check their inputs once with these helpers;
the maths inside stays free of checks.
"""

import math
import numbers

import numpy as np

__all__ = [
    "as_rng",
    "check_number",
    "check_in_range",
    "check_positive_number",
    "check_positive_int",
    "check_array",
    "check_float_array",
    "check_choice",
    "check_callable",
]


def _shown(value):
    """A value as it appears in a message: its type and a short repr."""
    return f"{type(value).__name__} {value!r:.40}"


def as_rng(rng=None):
    """Return a numpy Generator from None, an int seed or a Generator.

    None means seed 0, not "random": every run of the course is reproducible
    unless a learner asks otherwise.
    """
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be None, an int seed or a numpy Generator, got {type(rng).__name__}")


def check_number(value, name, finite=False):
    """Return ``value`` as a float, or raise TypeError (True/False are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} needs a real number (int or float), got {_shown(value)}")
    value = float(value)
    if finite and not math.isfinite(value):
        raise ValueError(f"{name} needs a finite number, got {value}; a NaN or inf input makes every gradient NaN")
    return value


def check_in_range(value, name, low, high, interval="[)"):
    """Return ``value`` as a float in the interval from low to high, e.g. "[)" for [low, high)."""
    shown = f"{interval[0]}{low:g}, {high:g}{interval[1]}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in {shown}, got {_shown(value)}")
    value = float(value)
    above = value >= low if interval[0] == "[" else value > low
    below = value <= high if interval[1] == "]" else value < high
    if not (above and below):  # also catches NaN
        raise ValueError(f"{name} must be in {shown}, got {value!r}")
    return value


def check_positive_number(value, name):
    """Return ``value`` as a finite float > 0, or raise one clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {_shown(value)}")
    value = float(value)
    if not math.isfinite(value) or value <= 0.0:
        raise ValueError(f"{name} must be a positive number, got {value:g}")
    return value


def check_positive_int(value, name, minimum=1):
    """Return ``value`` as an int >= minimum (1, or 0 for counts from 0), or raise one clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {_shown(value)}")
    if value < minimum:
        wanted = "a positive whole number" if minimum == 1 else f"a whole number >= {minimum}"
        raise ValueError(f"{name} must be {wanted}, got {value}")
    return int(value)


def check_float_array(array, name):
    """``array`` must be a float numpy array, because it is about to be changed in place."""
    if not isinstance(array, np.ndarray) or array.dtype.kind != "f":
        got = f"an array of dtype {array.dtype}" if isinstance(array, np.ndarray) else _shown(array)
        raise TypeError(
            f"{name} must be a float numpy array (it is changed in place), got {got}; "
            "convert it once with np.asarray(..., dtype=float)"
        )
    return array


def check_array(X, name, ndim=None, finite=True):
    """Return ``X`` as a float64 array, checking its number of axes and finiteness."""
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(X).__name__}") from None
    if ndim is not None and arr.ndim not in np.atleast_1d(ndim):
        want = " or ".join(f"{d}-D" for d in np.atleast_1d(ndim))
        raise ValueError(f"{name} must be a {want} array, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        where = f" at row {bad[0]}" if arr.ndim >= 1 else ""
        raise ValueError(f"{name} contains NaN or inf{where}; clean the data before training")
    return arr


def check_choice(value, choices, what):
    """Return ``value`` if it is one of ``choices`` (names); otherwise list the valid ones."""
    valid = ", ".join(sorted(choices))
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a name, one of: {valid}; got {_shown(value)}")
    if value not in choices:
        raise ValueError(f"unknown {what} {value!r}; choose one of: {valid}")
    return value


def check_callable(value, name, what):
    """Return ``value`` if it can be called; ``what`` says what kind of function is expected."""
    if not callable(value):
        raise TypeError(f"{name} must be {what}, got {_shown(value)}")
    return value
