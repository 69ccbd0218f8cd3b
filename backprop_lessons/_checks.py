"""Input checks shared by the package: one clear message for each likely mistake.

A learner who passes a negative learning rate or a dataset with a NaN in it
should read one sentence that names the problem, not a traceback from deep
inside numpy.
"""

import math
import numbers

import numpy as np

__all__ = [
    "as_rng",
    "check_positive_int",
    "check_positive_number",
    "check_array",
    "check_choice",
]


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


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_positive_int(value, name):
    """Return ``value`` as an int, or raise ValueError/TypeError naming ``name``."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r:.40}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive whole number, got {value}")
    return int(value)


def check_positive_number(value, name):
    """Return ``value`` as a float > 0 (finite), or raise one clear error."""
    if not _is_number(value):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__} {value!r:.40}")
    value = float(value)
    if not math.isfinite(value) or value <= 0.0:
        raise ValueError(f"{name} must be a positive number, got {value:g}")
    return value


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
    """Return ``value`` if it is one of ``choices``; otherwise list the valid ones."""
    if value not in choices:
        valid = ", ".join(sorted(choices))
        raise ValueError(f"unknown {what} {value!r}; choose one of: {valid}")
    return value
