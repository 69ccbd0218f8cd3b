"""Checkers for notebook 03 (the chain rule): gradients on a small graph, a shared node, a new operation.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numbers
import warnings

import numpy as np

from . import _runner
from ._format import fmt_number, type_name
from ._runner import Case, CheckResult, answer_value, learner_error, not_written, report, run_cases

__all__ = [
    "GRAPH",
    "SHARED_GRAPH",
    "check_graph_gradients",
    "check_shared_node_gradients",
    "check_tiny_pow",
    "check_multiply_backward",
    "check_tanh_backward",
]


# The notebook's graph: e = a * b;  d = e + c;  L = d * f.
GRAPH = {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}


# Exercise 3, a value used twice: s = a + b;  L = s * a.  (The worked example, L = a*b + a
# with a = 3, b = -4, is in the notebook; the exercise is a graph the learner has not seen.)
SHARED_GRAPH = {"a": 3.0, "b": -4.0}

_PREFIXES = ("dL/d", "dl/d", "∂L/∂", "dL_d", "dL_", "dE/d", "∂E/∂", "dE_d", "dE_", "d")


def _node_key(key, nodes):
    """'a', 'da', 'dL/da', 'dL_da', '∂L/∂a' -> 'a' when that is a node name; else the key as given.

    nodes is a collection of whole names: a key is a node only if it equals one (never a substring).
    """
    k = str(key).strip()
    if k in nodes:
        return k
    for prefix in _PREFIXES:
        if k.startswith(prefix) and k[len(prefix) :] in nodes:
            return k[len(prefix) :]
    return k


def _read_answers(name, answers, nodes):
    """Normalise {"a": ..} / {"da": ..} / {"dL/da": ..}, or report that it is not a dict.

    Returns (answers, None) or (None, CheckResult).
    """
    if not isinstance(answers, dict):
        return None, report(
            name,
            [(False, f"expected a dict like {{'a': ..., 'b': ...}} (node name -> dL/dnode), got {type_name(answers)}")],
        )
    nodes = frozenset(nodes)
    return {_node_key(key, nodes): value for key, value in answers.items()}, None


def _as_number(got):
    """A float, or a message saying why ``got`` is not one number (0-d arrays are numbers)."""
    if isinstance(got, (bool, np.bool_)):
        return f"expected a number, got {type_name(got)}"
    if isinstance(got, (numbers.Real, np.number)):
        return float(got)
    if isinstance(got, np.ndarray) and got.dtype.kind in "iuf":
        if got.ndim == 0:
            return float(got)
        return f"expected one number, got an array of shape {tuple(got.shape)}" + (
            ": take its only entry with .item()" if got.size == 1 else ""
        )
    return f"expected a number, got {type_name(got)}"


def _grade(name, answers, right, hints, known, of="L"):
    """One ✓/✗ line per node (d{of}/d{node}); wrong answers get a hint, never the number itself."""
    outcomes = []
    for node, want in right.items():
        label = f"d{of}/d{node}"
        if node not in answers:
            outcomes.append((False, f"{label}: missing — add answers['{node}'] = ..."))
            continue
        got = _as_number(answers[node])
        if isinstance(got, str):
            outcomes.append((False, f"{label}: {got}"))
            continue
        if abs(got - want) <= 1e-6 * max(1.0, abs(want)):
            outcomes.append((True, f"{label} = {fmt_number(got)}"))
            continue
        # known: node -> [(a typical wrong answer, the hint naming that mistake)]
        matches = [h for value, h in known.get(node, ()) if abs(got - value) < 1e-6]
        if matches:
            hint = matches[0]
        elif abs(got + want) <= 1e-6 * max(1.0, abs(want)):
            hint = "wrong sign — " + hints[node]
        else:
            hint = hints[node]
        outcomes.append((False, f"{label}: got {fmt_number(got)} — hint: {hint}"))
    extra = sorted(str(k) for k in answers if k not in right and k != of)
    if extra:
        outcomes.append(
            (
                False,
                f"unknown key{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))}: "
                f"the nodes are {', '.join(right)}",
            )
        )
    return report(name, outcomes, noun="gradients", verb="correct")


def check_graph_gradients(answers):
    """Check hand-computed gradients on e = a*b, d = e + c, L = d*f (a=2, b=-3, c=10, f=-2).

    answers: dict node name -> dL/dnode for the nodes a, b, c, d, e, f, or a function
    of no arguments returning it (keys "a", "da" or "dL/da" all work; "L" is optional and must be 1).
    """
    answers, failed = answer_value("check_graph_gradients", answers)
    if failed:
        return failed
    answers, failed = _read_answers("check_graph_gradients", answers, ("a", "b", "c", "d", "e", "f", "L"))
    if failed:
        return failed
    a, b, c, f = GRAPH["a"], GRAPH["b"], GRAPH["c"], GRAPH["f"]
    d = a * b + c
    right = {"d": f, "f": d, "e": f, "c": f, "a": f * b, "b": f * a}
    if "L" in answers:
        right = {"L": 1.0, **right}
    hints = {
        "L": "dL/dL = 1: the output's gradient with respect to itself starts the backward pass",
        "d": "L = d * f, so the local derivative ∂L/∂d is the OTHER factor, f",
        "f": "L = d * f, so the local derivative ∂L/∂f is the OTHER factor, d = a*b + c",
        "e": "dL/de = ∂d/∂e × dL/dd, and a sum passes the gradient on unchanged (∂d/∂e = 1)",
        "c": "dL/dc = ∂d/∂c × dL/dd, and ∂d/∂c = 1",
        "a": "dL/da = ∂e/∂a × dL/de, and ∂e/∂a = b (local derivative × upstream gradient)",
        "b": "dL/db = ∂e/∂b × dL/de, and ∂e/∂b = a",
    }
    upstream = "multiply it by the upstream gradient dL/d"
    known = {
        "a": [(b, f"that is only the local derivative ∂e/∂a = b; {upstream}e")],
        "b": [(a, f"that is only the local derivative ∂e/∂b = a; {upstream}e")],
        "c": [(1.0, f"1 is only the local derivative ∂d/∂c; {upstream}d")],
        "e": [(1.0, f"1 is only the local derivative ∂d/∂e; {upstream}d")],
    }
    return _grade("check_graph_gradients", answers, right, hints, known)


def check_shared_node_gradients(answers):
    """Check hand-computed gradients on s = a + b, L = s * a (a = 3, b = -4): a is used twice.

    answers: dict with "a" -> dL/da and "b" -> dL/db, or a function of no arguments returning it.
    """
    answers, failed = answer_value("check_shared_node_gradients", answers)
    if failed:
        return failed
    answers, failed = _read_answers("check_shared_node_gradients", answers, ("a", "b", "s", "L"))
    if failed:
        return failed
    a, b = SHARED_GRAPH["a"], SHARED_GRAPH["b"]
    s = a + b
    plus_eq = (
        "a is used twice (in s = a + b and directly in L = s * a): dL/da is the SUM of "
        "both paths' contributions; accumulate with +=, not ="
    )
    hints = {
        "a": "add up local derivative × upstream gradient along each path from a to L",
        "b": "dL/db = ∂s/∂b × dL/ds, and dL/ds is the local derivative ∂L/∂s = a",
    }
    known = {
        "a": [
            (a, "you kept only the path through s — " + plus_eq),
            (s, "you kept only the direct path (the local derivative ∂L/∂a = s) — " + plus_eq),
        ],
        "b": [(1.0, "1 is only the local derivative ∂s/∂b; multiply it by the upstream gradient dL/ds")],
    }
    right = {"a": s + a, "b": a}
    answers = {k: v for k, v in answers.items() if k not in ("s", "L")}  # optional extras, not graded
    return _grade("check_shared_node_gradients", answers, right, hints, known)


# ---------------------------------------------------------- a new operation: x ** n
def _fd(f, x, h=1e-6):
    """Central difference (f(x + h) - f(x - h)) / 2h, the independent check."""
    return (f(x + h) - f(x - h)) / (2 * h)


def _call_pow(fn, value_class, x, n):
    """Run the learner's fn(TinyValue(x), n); return (out, x_node) or raise _Stub / return a message."""
    node = value_class(x)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = fn(node, n)
    except Exception as exc:  # the learner's bug, as one sentence
        if _runner._is_stub_error(exc):
            raise _runner._Stub from None
        return learner_error(exc, ("x", "n"), (node, n)) + (
            " — hint: compute with the number x.data; a TinyValue only knows + and *"
            if isinstance(exc, TypeError)
            else ""
        ), node
    return out, node


def _pow_case(fn, value_class, x, n):
    """(ok, text) for out = x ** n: forward value, then x.grad after backward() vs a finite difference."""
    out, node = _call_pow(fn, value_class, x, n)
    if isinstance(out, str):
        return False, out
    if not all(hasattr(out, attr) for attr in ("data", "parents", "local_grads", "backward")):
        return False, (
            f"expected a new {value_class.__name__}, got {type_name(out)} — hint: "
            f"return {value_class.__name__}(data, (x,), (local_derivative,))"
        )
    want_data = x**n
    if not isinstance(out.data, numbers.Real) or abs(out.data - want_data) > 1e-9 * max(1, abs(want_data)):
        return False, (
            f"forward: out.data should be x ** n = {fmt_number(want_data)}, "
            f"got {type_name(out.data) if not isinstance(out.data, numbers.Real) else fmt_number(out.data)}"
        )
    if node not in tuple(out.parents):
        return False, ("x is not among out.parents, so backward() can never reach it — hint: pass (x,) as the parents")
    if len(tuple(out.parents)) != len(tuple(out.local_grads)):
        return False, "out needs one local derivative per parent: parents (x,), local_grads (one number,)"
    out.backward()
    got, fd = node.grad, _fd(lambda t: t**n, x)
    if isinstance(got, numbers.Real) and abs(got - fd) <= 1e-6 * max(1.0, abs(fd)):
        return True, f"x.grad = {fmt_number(got)}, finite difference {fmt_number(fd)}"
    wrong = [
        (n * x**n, "the exponent must drop by one: d(x**n)/dx = n * x**(n - 1), not n * x**n"),
        (x ** (n - 1), "the factor n is missing: d(x**n)/dx = n * x**(n - 1)"),
        (n * x, "that is n * x; the local derivative is n * x**(n - 1)"),
        (x**n, "that is x**n itself, the forward value; the local derivative is its slope"),
        (0.0, "x received no gradient: check the local derivative you stored"),
    ]
    hint = next(
        (h for v, h in wrong if isinstance(got, numbers.Real) and abs(got - v) < 1e-9 * max(1, abs(v))),
        "backward() and the finite difference disagree: check the local derivative",
    )
    got_text = fmt_number(got) if isinstance(got, numbers.Real) else type_name(got)
    return False, f"x.grad = {got_text}, but the finite difference says {fmt_number(fd)} — hint: {hint}"


def _pow_in_graph(fn, value_class, x, y):
    """(ok, text) for L = (x*y + x) ** 2: the new operation inside a graph, x used twice."""
    X, Y = value_class(x), value_class(y)
    inner = X * Y + X
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            L = fn(inner, 2)
        L.backward()
    except Exception as exc:
        if _runner._is_stub_error(exc):
            raise _runner._Stub from None
        return False, learner_error(exc, ("x", "n"), (inner, 2))
    f = lambda a, b: (a * b + a) ** 2  # noqa: E731
    want = (_fd(lambda t: f(t, y), x), _fd(lambda t: f(x, t), y))
    got = (X.grad, Y.grad)
    if all(isinstance(g, numbers.Real) and abs(g - w) <= 1e-6 * max(1.0, abs(w)) for g, w in zip(got, want)):
        return True, (f"x.grad = {fmt_number(got[0])}, y.grad = {fmt_number(got[1])}, the finite differences agree")
    return False, (
        f"x.grad = {fmt_number(got[0])}, y.grad = {fmt_number(got[1])}, but the finite "
        f"differences say {fmt_number(want[0])} and {fmt_number(want[1])}"
    )


def check_tiny_pow(fn, value_class):
    """Check ``fn(x, n) -> TinyValue``: the operation x ** n (n a plain number) for the notebook's TinyValue.

    fn must return value_class(x.data ** n, (x,), (n * x.data ** (n - 1),)). Each case builds the
    graph, runs backward() and compares x.grad with a central finite difference.
    """
    name = "check_tiny_pow"
    if not callable(fn) or not isinstance(value_class, type):
        line = (
            f"✗ {name} needs your function and the TinyValue class: {name}(tiny_pow, TinyValue); "
            f"got {type_name(fn)} and {type_name(value_class)}"
        )
        print(line)
        return CheckResult(name, 0, 4, [line])
    cases = [
        ("x = 1.5, n = 3", lambda: _pow_case(fn, value_class, 1.5, 3)),
        ("x = -2, n = 2", lambda: _pow_case(fn, value_class, -2.0, 2)),
        ("x = 9, n = 0.5 (a square root)", lambda: _pow_case(fn, value_class, 9.0, 0.5)),
        ("inside a graph, L = (x*y + x) ** 2 with x = 0.5, y = -3", lambda: _pow_in_graph(fn, value_class, 0.5, -3.0)),
    ]
    outcomes = []
    for i, (label, run) in enumerate(cases, start=1):
        try:
            ok, text = run()
        except _runner._Stub:
            return not_written(name, fn, len(cases))
        outcomes.append((ok, f"case {i}: {label} — {text}"))
    return report(name, outcomes)


def _multiply_case(label, a, b, dout):
    da, db = b * dout, a * dout
    swapped = [((a * dout), "swapped: the slope of a*b with respect to a is the OTHER factor, b")]
    product = [
        (
            a * b * dout,
            "a * b is the forward value, not a slope: the local derivative of a*b "
            "with respect to one factor is the other factor",
        )
    ]
    return Case(
        label,
        (a, b, dout),
        (da, db),
        names=("da", "db"),
        diag={
            "da": {"dout": dout, "alternatives": product + swapped},
            "db": {
                "dout": dout,
                "alternatives": product
                + [(b * dout, swapped[0][1].replace("to a is the OTHER factor, b", "to b is the OTHER factor, a"))],
            },
        },
        hint="out = a * b: da = b * dout and db = a * dout",
    )


def check_multiply_backward(fn):
    """Check ``fn(a, b, dout) -> (da, db)``: backward of out = a * b (elementwise).

    a, b, dout: numbers or arrays of one shape. Returns (da, db) of that shape:
    da = b * dout, db = a * dout.
    """
    rng = np.random.default_rng(105)
    cases = [
        _multiply_case("a = 2, b = -3, dout = 1", 2.0, -3.0, 1.0),
        _multiply_case("a = 2, b = -3, dout = -2", 2.0, -3.0, -2.0),
        _multiply_case("random arrays, shape (4,)", rng.normal(size=4), rng.normal(size=4), rng.normal(size=4)),
    ]
    return run_cases("check_multiply_backward", fn, cases, ("a", "b", "dout"))


def _tanh_case(label, x, dout):
    t = np.tanh(x)
    alternatives = [
        ((1 - x**2) * dout, "you used 1 - x**2; the slope of tanh is 1 - tanh(x)**2"),
        ((1 - t) * dout, "the square is missing: tanh'(x) = 1 - tanh(x)**2"),
        (t * dout, "that is tanh(x) * dout; use the SLOPE of tanh, 1 - tanh(x)**2"),
    ]
    return Case(
        label,
        (x, dout),
        (1 - t**2) * dout,
        names=("dx",),
        diag={"dx": {"dout": dout, "alternatives": alternatives}},
        hint="dx = (1 - tanh(x)**2) * dout",
    )


def check_tanh_backward(fn):
    """Check ``fn(x, dout) -> dx``: backward of out = tanh(x), elementwise.

    x: the INPUT of tanh, any shape. dout: upstream gradient, same shape.
    Returns dx = (1 - tanh(x)**2) * dout, same shape.
    """
    rng = np.random.default_rng(106)
    cases = [
        _tanh_case("x = [0, 0.5, -1], dout = 1", np.array([0.0, 0.5, -1.0]), np.ones(3)),
        _tanh_case(
            "shape (2, 3), random dout", np.array([[0.1, -0.4, 2.0], [1.0, -1.5, 0.3]]), rng.normal(size=(2, 3))
        ),
        _tanh_case("random, shape (5,)", rng.uniform(-3, 3, size=5), rng.normal(size=5)),
    ]
    return run_cases("check_tanh_backward", fn, cases, ("x", "dout"))


# ----------------------------------------------------- reference solutions
def graph_gradients():
    """dL/dnode on e = a*b, d = e + c, L = d*f with a=2, b=-3, c=10, f=-2."""
    a, b, c, f = 2.0, -3.0, 10.0, -2.0
    e = a * b
    d = e + c
    dL_dd = f  # L = d * f: the slope with respect to d is the other factor
    dL_df = d
    dL_de = dL_dd * 1.0  # d = e + c: a sum passes the gradient on unchanged
    dL_dc = dL_dd * 1.0
    dL_da = dL_de * b  # e = a * b: upstream gradient times local slope
    dL_db = dL_de * a
    return {"a": dL_da, "b": dL_db, "c": dL_dc, "d": dL_dd, "e": dL_de, "f": dL_df}


def shared_node_gradients():
    """dL/da and dL/db on s = a + b, L = s * a with a = 3, b = -4: a is used twice."""
    a, b = 3.0, -4.0
    s = a + b
    dL_ds = a  # L = s * a: the local derivative with respect to s is the other factor
    dL_da = 0.0
    dL_da += 1.0 * dL_ds  # the path through s = a + b
    dL_da += s  # the direct path, L = s * a: contributions ADD UP
    dL_db = 1.0 * dL_ds
    return {"a": dL_da, "b": dL_db}


def tiny_pow(x, n):
    """x ** n for a TinyValue x and a plain number n; local derivative n * x**(n - 1)."""
    # TinyValue is the notebook's class; the checker hands it in, so build the result from type(x)
    return type(x)(x.data**n, (x,), (n * x.data ** (n - 1),))


def multiply_backward(a, b, dout):
    """out = a * b: each input's slope is the other input, times dout."""
    return b * dout, a * dout


def tanh_backward(x, dout):
    """out = tanh(x): dx = (1 - tanh(x)**2) * dout, same shape as x."""
    t = np.tanh(x)
    return (1.0 - t**2) * dout


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {
    "check_graph_gradients": graph_gradients,
    "check_shared_node_gradients": shared_node_gradients,
    "check_tiny_pow": tiny_pow,
    "check_multiply_backward": multiply_backward,
    "check_tanh_backward": tanh_backward,
}
