"""Print numbers and arrays the same way every run: rounded, short, no addresses.

Checker output is stored in the course notebooks and compared by nbval, so
every message must be deterministic and short: 4-6 significant digits, never
a raw float repr like 0.30000000000000004.
"""

import numbers

import numpy as np

__all__ = ["fmt_number", "fmt_value", "fmt_pair", "fmt_shape", "shape_text", "type_name", "arg_summary"]


def fmt_number(x, sig=4):
    """A float rounded to ``sig`` significant digits: 0.1235, -2.5e-07, 3."""
    x = float(x)
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = f"{x:.{sig}g}"
    return "0" if text == "-0" else text


def fmt_value(a, sig=4):
    """A number or a small array as rounded nested lists: [[0.1, -2], [3, 4]]."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return fmt_number(a, sig)
    return "[" + ", ".join(fmt_value(row, sig) for row in a) + "]"


def fmt_pair(expected, got):
    """Format two values with just enough digits (4 to 12) to tell them apart."""
    for sig in (4, 5, 6, 8, 10, 12):  # float32 and float64 answers can agree to 6 digits
        e, g = fmt_value(expected, sig), fmt_value(got, sig)
        if e != g:
            break
    return e, g


def fmt_shape(shape):
    """(3, 2) -> '(3, 2)'; () -> 'a single number'."""
    return "a single number" if shape == () else str(tuple(int(n) for n in shape))


def shape_text(shape):
    """'shape (3, 2)', or 'a single number' for ()."""
    return fmt_shape(shape) if shape == () else "shape " + fmt_shape(shape)


def type_name(value):
    """Describe what a learner returned, without its repr (no addresses)."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {fmt_shape(value.shape)}"
    if isinstance(value, (bool, np.bool_)):
        return f"a bool ({bool(value)})"
    if isinstance(value, (numbers.Number, np.number)):
        return f"a single number ({fmt_number(value)})" if np.isrealobj(value) else "a complex number"
    if isinstance(value, str):
        short = value if len(value) <= 20 else value[:17] + "..."
        return f"a string {short!r}"
    if isinstance(value, (list, tuple)):
        kind = type(value).__name__
        return f"a {kind} of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        keys = ", ".join(str(k) for k in list(value)[:6])
        return f"a dict with keys {keys}" if value else "an empty dict"
    return f"a {type(value).__name__}"


def arg_summary(names, args):
    """'X (4, 3), W (3, 2), b (2,)': the shapes of the inputs, for shape errors."""
    parts = []
    for name, arg in zip(names, args):
        if isinstance(arg, np.ndarray):
            parts.append(f"{name} {fmt_shape(arg.shape)}")
        elif isinstance(arg, dict):
            inner = ", ".join(f"{k} {fmt_shape(np.shape(v))}" for k, v in arg.items())
            parts.append(f"{name} {{{inner}}}")
        else:
            parts.append(f"{name} = {fmt_number(arg) if isinstance(arg, numbers.Real) else arg}")
    return ", ".join(parts)
