"""Name a learner's mistake from the numbers alone: wrong answers have signatures.

Used by every checker of notebooks 01-07. A wrong gradient is rarely random:
most mistakes leave a fingerprint we can recognise by comparing the learner's
array ``got`` with the right one ``expected``:

=====================  ===========================================
mistake                signature
=====================  ===========================================
wrong sign             got = -expected
factor 2 or 1/2        got = 2 * expected, got = expected / 2
batch size N           got = N * expected (forgot to average),
                       got = expected / N (averaged twice)
transposed             got = expected.T
wrong shape            (N,) vs (N, 1); (N, H) where (H,) belongs
                       (forgot to sum over the batch axis)
forgot dout            got * dout = expected
one of two paths       got = one of the contributions that add up
(= instead of +=)      to expected
=====================  ===========================================

Each ``*_hint`` function returns a one-sentence hint naming the mistake, or
None when the signature does not match; :func:`diagnose` tries them in order.
"""

import numpy as np

__all__ = [
    "close",
    "diagnose",
    "is_low_precision",
    "FLOAT32_RTOL",
    "shape_hint",
    "transposed_hint",
    "factor_hint",
    "forgot_dout_hint",
    "one_contribution_hint",
]


# A float32 answer is right when it agrees to float32 precision: sigmoid(x) * (1 - sigmoid(x)) at
# x = 8 loses 3 of float32's ~7 digits to cancellation, so 1e-3 (not float64's 1e-5) is fair.
FLOAT32_RTOL = 1e-3


def is_low_precision(value):
    """True for a float32 (or float16) array or scalar: it is compared at float32 precision."""
    dtype = getattr(value, "dtype", None)
    return dtype is not None and np.issubdtype(dtype, np.floating) and np.finfo(dtype).bits < 64


def close(got, expected, rtol=1e-5):
    """True if ``got`` matches ``expected`` to a relative tolerance (shapes must match).

    The absolute tolerance scales with the largest expected entry, so tiny
    right answers (0.25**30 ~ 1e-18) are compared relatively too.
    """
    if is_low_precision(got):  # float32 keeps ~7 digits, and cancellation costs some of them
        rtol = max(rtol, FLOAT32_RTOL)
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape or not np.all(np.isfinite(got)):
        return False
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    atol = 1e-8 * scale if scale > 0 else 1e-12
    return bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def _shape(a):
    return "a single number" if a.ndim == 0 else f"shape {a.shape}"


def shape_hint(got, expected, batch_size=None):
    """Explain a shape mismatch; None if the shapes agree."""
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    gs, es = got.shape, expected.shape
    if gs == es:
        return None
    if expected.ndim == 0:
        if close(got.mean(), expected):
            return (
                f"you returned {_shape(got)}, one value per element; "
                "the answer is their mean: average them with .mean()"
            )
        if close(got.sum(), expected):
            return f"you returned {_shape(got)}; the answer is a single number, their sum"
        return f"the answer is a single number, but you returned {_shape(got)}"
    if got.ndim == 0:
        per_example = batch_size and es[0] == batch_size
        if close(got, expected.sum()) and expected.ndim == 1 and not per_example:
            return (
                "you summed over every axis and got one number; "
                f"the answer keeps {_shape(expected)}: sum over the batch axis only (axis=0)"
            )
        return (
            f"you returned a single number, but the answer has {_shape(expected)}, "
            "one entry per element: do not sum or average"
        )
    if got.ndim == 2 and gs == es[::-1]:
        if close(got.T, expected):
            return (
                f"your array is transposed: shape {gs} instead of {es}; "
                "swap the order of the matrix product or add/remove a .T"
            )
        return f"shape {gs} is the transpose of the right shape {es} (and the values differ too)"
    if got.size == expected.size and close(got.reshape(es), expected):
        extra = (
            "keep the axis with keepdims=True or .reshape(-1, 1)"
            if got.ndim < expected.ndim
            else "drop the extra axis (keepdims=False, or .ravel())"
        )
        return f"right numbers, wrong shape: {gs} instead of {es}; {extra}"
    if expected.ndim in (1, 2) and got.ndim == 2 and gs[0] == gs[1] == es[0] and expected.size == es[0]:
        return (
            f"shape {gs}: a column (N, 1) and a flat (N,) array broadcast to (N, N); "
            "make both arrays the same shape first, e.g. y.reshape(-1, 1)"
        )
    if got.ndim == expected.ndim + 1:
        for axis in range(got.ndim):
            if got.sum(axis=axis).shape == es and close(got.sum(axis=axis), expected):
                what = "the batch axis" if axis == 0 else f"axis {axis}"
                return f"you returned {gs}, one row per example; sum over {what}: .sum(axis={axis})"
    if batch_size and gs == (batch_size,) and expected.ndim == 1 and es[0] != batch_size:
        return f"shape {gs} has one number per example: you summed over the wrong axis; sum over the batch axis, axis=0"
    return f"expected {_shape(expected)}, got {_shape(got)}"


def transposed_hint(got, expected):
    """Same square shape, but the values are the transpose of the answer."""
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    if (
        got.ndim == 2
        and got.shape == expected.shape
        and got.shape[0] == got.shape[1]
        and not close(expected, expected.T)
        and close(got, expected.T)
    ):
        return "your matrix is the transpose of the answer: check the order of the product (X.T @ dout, not dout.T @ X)"
    return None


def _factor_names(batch_size):
    """(factor, hint) pairs for the constant factors we can name."""
    names = [
        (2.0, "twice the right size: an extra factor 2"),
        (0.5, "half the right size: a factor 2 is missing (d/dx of x**2 is 2*x, e.g. 2 * (y_hat - y))"),
    ]
    if batch_size and batch_size > 2:
        n = batch_size
        names += [
            (float(n), f"N = {n} times too large: you forgot to divide by N (the loss is a mean over the batch)"),
            (1.0 / n, f"N = {n} times too small: you divided by N where you should sum, or averaged twice"),
            (n / 2.0, f"off by N/2 = {n / 2:g}: you forgot both the factor 2 and the division by N"),
        ]
    return names


def factor_hint(got, expected, batch_size=None):
    """got = r * expected for a recognisable constant r (sign, 2, 1/2, N, 1/N)."""
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    if got.shape != expected.shape or not np.any(expected != 0):
        return None
    r = float(np.sum(got * expected) / np.sum(expected * expected))
    if not np.isfinite(r) or not close(got, r * expected, rtol=1e-6):
        return None
    if abs(r + 1.0) < 1e-6:
        return "wrong sign: every entry has the right size but the opposite sign"
    for factor, hint in _factor_names(batch_size):
        if abs(abs(r) - factor) <= 1e-6 * factor:
            return ("wrong sign, and " + hint) if r < 0 else hint
    return None


def forgot_dout_hint(got, expected, dout):
    """got * dout = expected: the local derivative without the upstream gradient."""
    if dout is None:
        return None
    got, expected, dout = (np.asarray(a, float) for a in (got, expected, dout))
    if got.shape != dout.shape or close(dout, np.ones_like(dout)):
        return None
    if close(got * dout, expected):
        return (
            "you returned only the local derivative: multiply it by the upstream "
            "gradient dout (chain rule: dx = local derivative * dout)"
        )
    if close(got, expected * dout):
        return "you multiplied by dout twice"
    return None


def one_contribution_hint(got, contributions):
    """got equals one of several paths that should ADD UP (= instead of +=)."""
    if not contributions or len(contributions) < 2:
        return None
    for part in contributions:
        if close(got, part):
            return (
                "you kept only one of the contributions: a value used in several places "
                "receives the SUM of the gradients from every use; accumulate with +=, "
                "not ="
            )
    return None


def diagnose(got, expected, *, batch_size=None, dout=None, contributions=None, alternatives=()):
    """Return a hint naming the learner's mistake, or None if no signature matches.

    got, expected: arrays or numbers. batch_size: N, to recognise a missing or
    extra 1/N. dout: the upstream gradient of an elementwise backward pass.
    contributions: arrays that sum to ``expected`` (a value used twice).
    alternatives: (wrong_answer, hint) pairs for mistakes specific to one exercise.
    """
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    # Exercise-specific mistakes first: they are exact and name the formula.
    for wrong, alt_hint in alternatives:
        if close(got, wrong):
            return alt_hint
    hint = shape_hint(got, expected, batch_size)
    if hint:
        return hint
    if not np.all(np.isfinite(got)):
        return "your answer contains NaN or inf: an overflow (np.exp of a large number?) or a division by zero"
    if got.size > 1 and not np.any(got != 0) and np.any(expected != 0):
        return "every entry of your array is 0: was something never added in (a loop that never ran)?"
    for hint in (
        transposed_hint(got, expected),
        one_contribution_hint(got, contributions),
        forgot_dout_hint(got, expected, dout),
        factor_hint(got, expected, batch_size),
    ):
        if hint:
            return hint
    return None
