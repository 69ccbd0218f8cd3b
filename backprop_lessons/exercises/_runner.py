"""Run a learner's function on test cases and print one friendly line per case.

Used by every checker (notebooks 01-07). The rules a checker follows:

* the learner's function gets COPIES of the inputs, so it can never spoil the
  checker's reference; changing an input in place is reported as a mistake;
* an exception becomes one sentence naming the learner's own line (taken from
  the traceback frame that is not inside this package or a library), never a
  traceback;
* None, a string, a list or a tuple of the wrong length is answered with
  "expected ..., got ...";
* a wrong number is passed to :func:`diagnose`, which names the mistake.
"""

import copy
import inspect
import numbers
import os
import re
import sysconfig
import traceback
import warnings
from dataclasses import dataclass, field

import numpy as np

from ._format import arg_summary, fmt_pair, fmt_shape, shape_text, type_name
from .diagnose import FLOAT32_RTOL, close, diagnose, is_low_precision

__all__ = ["Case", "CheckResult", "run_cases", "run_one", "report", "learner_error", "not_written", "answer_value"]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple(
    os.path.abspath(p) for p in {sysconfig.get_paths()[k] for k in ("stdlib", "purelib", "platlib")}
) + (_PACKAGE_DIR,)


class CheckResult:
    """What a checker found: ``passed``, ``n_passed``, ``n_cases``, ``messages``.

    The repr is one short line, so a notebook cell ending in ``check_x(fn)``
    shows the printed case lines and then only ``CheckResult(4/4 passed)``.
    """

    __slots__ = ("name", "n_passed", "n_cases", "messages")

    def __init__(self, name, n_passed, n_cases, messages):
        self.name, self.n_passed, self.n_cases = name, n_passed, n_cases
        self.messages = tuple(messages)

    @property
    def passed(self):
        return self.n_cases > 0 and self.n_passed == self.n_cases

    @property
    def summary(self):
        """The printed lines as one string (an autograder's assert shows it as feedback)."""
        return "\n".join(self.messages)

    def __repr__(self):
        return f"CheckResult({self.n_passed}/{self.n_cases} passed)"


@dataclass
class Case:
    """One test case: a label, the inputs, the right answer and how to diagnose it.

    expected: a number, an array, a tuple of arrays (named by ``names``) or a
    dict of arrays. diag: part name -> keyword arguments for ``diagnose``
    (batch_size, dout, contributions, alternatives). hint: said when no
    signature matches.
    """

    label: str
    args: tuple
    expected: object
    names: tuple = ()
    diag: dict = field(default_factory=dict)
    hint: object = ""  # one string, or part name -> string


def report(name, outcomes, noun="cases", verb="passed"):
    """Print ``(ok, text)`` outcomes as ✓/✗ lines plus a summary; return a CheckResult."""
    lines = [("✓ " if ok else "✗ ") + text for ok, text in outcomes]
    n_ok, n = sum(ok for ok, _ in outcomes), len(outcomes)
    if n > 1:
        lines.append(f"All {n} {noun} {verb}." if n_ok == n else f"{n_ok} of {n} {noun} {verb}.")
    print("\n".join(lines))
    return CheckResult(name, n_ok, n, lines)


def _is_library(filename):
    path = os.path.abspath(filename)
    return filename.startswith("<frozen") or any(path == d or path.startswith(d + os.sep) for d in _LIBRARY_DIRS)


def learner_error(exc, arg_names=(), args=()):
    """One sentence about an exception, naming the learner's line (no traceback)."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if not _is_library(f.filename)]
    where = ""
    if mine:
        frame = mine[-1]
        cell = re.search(r"ipykernel_\d+|<ipython-input|<string>", frame.filename)
        where = f" on line {frame.lineno}" + ("" if cell else f" of {os.path.basename(frame.filename)}")
        if frame.line:
            where += f": `{frame.line.strip()}`"
    detail = (str(exc).strip().splitlines() or [""])[0]
    if detail.startswith("matmul:"):  # numpy's gufunc wording is long and cryptic
        detail = "matmul: the inner dimensions of the two matrices do not match"
    detail = detail if len(detail) <= 100 else detail[:97] + "..."
    text = f"your function raised {type(exc).__name__}{where}" + (f" ({detail})" if detail else "")
    if isinstance(exc, NotImplementedError):
        return text + " — hint: it is not written yet; replace the `raise` with your code"
    if isinstance(exc, NameError):
        return text + " — hint: a name is not defined; misspelled, or its cell not run yet?"
    if isinstance(exc, TypeError) and not mine:
        return text + f" — hint: your function must take ({', '.join(arg_names)})"
    if re.search(r"shape|broadcast|align|matmul|dimension|index", detail, re.I) and args:
        return text + " — hint: check the shapes; the inputs were " + arg_summary(arg_names, args)
    return text


def _changed(before, after):
    if isinstance(before, dict):
        return any(_changed(v, after.get(k)) for k, v in before.items())
    if isinstance(before, np.ndarray):
        after = np.asarray(after)
        return before.shape != after.shape or not np.array_equal(before, after, equal_nan=True)
    return False


def _numeric(value, expected):
    """Return the learner's value as a float array, or a message if it cannot be one."""
    is_number = isinstance(value, (numbers.Real, np.number)) and not isinstance(value, (bool, np.bool_))
    if is_number or (isinstance(value, np.ndarray) and value.dtype.kind in "biuf"):
        if is_low_precision(value):  # keep float32 as it is: it is compared at float32 precision
            return np.asarray(value)
        return np.asarray(value, dtype=np.float64)
    want = "a single number" if np.ndim(expected) == 0 else f"a numpy array of shape {fmt_shape(np.shape(expected))}"
    got = f"an array of {value.dtype} values" if isinstance(value, np.ndarray) else type_name(value)
    if isinstance(value, list) and np.ndim(expected) > 0:
        return f"expected {want}, got {got}: build it with numpy (np.array(...) or an array expression)"
    return f"expected {want}, got {got}"


def _split(value, expected, names):
    """Match the learner's return value to the structure of ``expected``.

    Returns a list of (name, got, expected) parts, or a message string.
    """
    if value is None:
        return "your function returned None: did you forget `return`?"
    if isinstance(expected, tuple):
        want = f"a tuple of {len(expected)} values ({', '.join(names)})"
        if not isinstance(value, (tuple, list)) or len(value) != len(expected):
            return f"expected {want}, got {type_name(value)}"
        parts = list(zip(names, value, expected))
    elif isinstance(expected, dict):
        if not isinstance(value, dict):
            return f"expected a dict with keys {', '.join(expected)}, got {type_name(value)}"
        # Accept "dW1" as well as "W1": both name the gradient of W1.
        value = {
            (k[1:] if isinstance(k, str) and k[1:] in expected and k not in expected else k): v
            for k, v in value.items()
        }
        missing = [k for k in expected if k not in value]
        if missing:
            return f"your dict is missing {', '.join(map(repr, missing))} (expected keys: {', '.join(expected)})"
        parts = [(k, value[k], e) for k, e in expected.items()]
    else:
        parts = [(names[0] if names else "", value, expected)]
    out = []
    for name, got, exp in parts:
        num = _numeric(got, exp)
        if isinstance(num, str):
            return (f"{name}: " if name else "") + num
        out.append((name, num, np.asarray(exp, dtype=np.float64)))
    return out


def _mismatch(name, got, expected):
    """'db: expected [..], got [..]' for small arrays, else the entry that is furthest off."""
    label = f"{name}: " if name else ""
    if got.shape != expected.shape:
        return f"{label}expected {shape_text(expected.shape)}, got {shape_text(got.shape)}"
    if expected.size <= 4:
        e, g = fmt_pair(expected, got)
        return f"{label}expected {e}, got {g}"
    rtol = FLOAT32_RTOL if is_low_precision(got) else 1e-5
    atol = 1e-8 * max(np.abs(expected).max(), 1e-4)
    got = got.astype(np.float64)
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol)
    # show the entry furthest off RELATIVE to its size: a tiny wrong entry is still wrong
    off = np.where(np.isfinite(got), np.abs(got - expected) / (atol + rtol * np.abs(expected)), np.inf)
    idx = np.unravel_index(int(np.argmax(np.where(bad, off, -1.0))), expected.shape)
    e, g = fmt_pair(expected[idx], got[idx])
    where = f"{name}[{', '.join(map(str, idx))}]" if name else f"[{', '.join(map(str, idx))}]"
    return f"{where}: expected {e}, got {g} ({int(bad.sum())} of {expected.size} entries differ)"


def run_one(fn, case, arg_names, mutable):
    """Return (ok, text after the case label) for one case."""
    args = copy.deepcopy(case.args)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            value = fn(*args)
    except Exception as exc:  # the learner's bug, reported as one sentence
        if _is_stub_error(exc):
            raise _Stub from None
        return False, learner_error(exc, arg_names, case.args)
    parts = _split(value, case.expected, case.names)
    if isinstance(parts, str):
        return False, parts
    changed = [n for n, b, a in zip(arg_names, case.args, args) if n not in mutable and _changed(b, a)]
    for name, got, exp in parts:
        if not close(got, exp):
            wrong = [n for n, g, e in parts if n and not close(g, e)]
            others = f" (also wrong: {', '.join(wrong[1:])})" if len(wrong) > 1 else ""
            fallback = case.hint.get(name, "") if isinstance(case.hint, dict) else case.hint
            hint = diagnose(got, exp, **case.diag.get(name, {})) or fallback
            also = f" (and it changed its input `{changed[0]}` in place)" if changed else ""
            return False, _mismatch(name, got, exp) + others + also + (f" — hint: {hint}" if hint else "")
    low = [name or "your answer" for name, got, _ in parts if is_low_precision(got)]
    if changed:
        n = changed[0]
        return False, (
            f"right answer, but your function changed its input `{n}` in place "
            f"(e.g. `{n} *= ...` or `{n}[...] = 0`) — hint: work on a copy, "
            f"e.g. `{n}.copy()`, so the caller's array stays intact"
        )
    if low:
        return True, f"{low[0]} is float32: checked at float32 precision (relative tolerance {FLOAT32_RTOL:g})"
    return True, ""


def not_written(name, fn, n_cases=1):
    """The one line for an exercise stub that still raises NotImplementedError; a failed result."""
    what = getattr(fn, "__name__", "your function")
    line = (
        f"✗ `{what}` is not written yet: replace `raise NotImplementedError()` with your code, then run this cell again"
    )
    print(line)
    return CheckResult(name, 0, n_cases, [line])


class _Stub(Exception):
    """Raised by run_one when the learner's function is still the learner edition's stub."""


def _is_stub_error(exc):
    # Only the learner edition's stub raises NotImplementedError from the learner's own frame.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not _is_library(f.filename)]
    return isinstance(exc, NotImplementedError) and bool(frames)


def answer_value(name, answer):
    """An answer given as a value, or as a function of no arguments that returns it.

    Returns (value, None), or (None, CheckResult) when the function is a stub or raises.
    Exercises whose answer is a value are written as functions in the notebooks, so that
    the learner edition's stub (``raise NotImplementedError()``) stays inside a function.
    """
    if not callable(answer):
        return answer, None
    try:
        required = [
            p
            for p in inspect.signature(answer).parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):  # a builtin without a signature: not an answer function
        return answer, None
    if required:
        return answer, None  # a function the checker itself will run (e.g. a suspect)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return answer(), None
    except Exception as exc:  # the learner's bug, reported as one sentence
        if _is_stub_error(exc):
            return None, not_written(name, answer)
        line = "✗ " + learner_error(exc)
        print(line)
        return None, CheckResult(name, 0, 1, [line])


def run_cases(name, fn, cases, arg_names, mutable=()):
    """Run ``fn`` on every case, print one line per case and a summary line.

    name: the checker's name (for the "pass your function" message).
    arg_names: the names of fn's parameters, used in hints.
    mutable: parameters the function may change in place (e.g. ``w`` of an update).
    """
    if not callable(fn):
        line = (
            f"✗ {name} needs your function itself, e.g. {name}(my_function) without () "
            f"after its name; got {type_name(fn)}"
        )
        print(line)
        return CheckResult(name, 0, len(cases), [line])
    outcomes = []
    for i, case in enumerate(cases, start=1):
        try:
            ok, text = run_one(fn, case, arg_names, mutable)
        except _Stub:  # a stub gets one line, not one "raised NotImplementedError" per case
            return not_written(name, fn, len(cases))
        outcomes.append((ok, f"case {i}: {case.label}" + (f" — {text}" if text else "")))
    return report(name, outcomes)
