"""Checkers for notebook 03 (the chain rule): gradients on a small graph, shared nodes, local backward rules.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numbers

import numpy as np

from ._format import fmt_number, type_name
from ._runner import answer_value, Case, report, run_cases

__all__ = ['GRAPH', 'SHARED_GRAPH', 'check_graph_gradients', 'check_shared_node_gradients', 'check_multiply_backward', 'check_tanh_backward']


# The notebook's graph: e = a * b;  d = e + c;  L = d * f.
GRAPH = {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}


# A value used twice: L = a * b + a.
SHARED_GRAPH = {"a": 3.0, "b": -4.0}


def _read_answers(name, answers, nodes):
    """Normalise {"a": ..} / {"da": ..} / {"dL/da": ..}, or report that it is not a dict.

    Returns (answers, None) or (None, CheckResult).
    """
    if not isinstance(answers, dict):
        return None, report(name, [(False, "expected a dict like {'a': ..., 'b': ...} "
                                           f"(node name -> dL/dnode), got {type_name(answers)}")])
    out = {}
    for key, value in answers.items():
        k = str(key).strip()
        k = k[4:] if k.startswith("dL/d") else k
        k = k[1:] if k not in nodes and k[1:] in nodes and k.startswith("d") else k
        out[k] = value
    return out, None


def _grade(name, answers, right, hints, known):
    """One ✓/✗ line per node; wrong answers get a hint, never the number itself."""
    outcomes = []
    for node, want in right.items():
        label = f"dL/d{node}"
        if node not in answers:
            outcomes.append((False, f"{label}: missing — add answers['{node}'] = ..."))
            continue
        got = answers[node]
        if isinstance(got, bool) or not isinstance(got, (numbers.Real, np.number)):
            outcomes.append((False, f"{label}: expected a number, got {type_name(got)}"))
            continue
        got = float(got)
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
    return report(name, outcomes, noun="gradients", verb="correct")


def check_graph_gradients(answers):
    """Check hand-computed gradients on e = a*b, d = e + c, L = d*f (a=2, b=-3, c=10, f=-2).

    answers: dict node name -> dL/dnode for the nodes a, b, c, d, e, f
    (keys "a", "da" or "dL/da" all work; "L" is optional and must be 1).
    """
    answers, failed = answer_value("check_graph_gradients", answers)
    if failed:
        return failed
    answers, failed = _read_answers("check_graph_gradients", answers, "abcdefL")
    if failed:
        return failed
    a, b, c, f = GRAPH["a"], GRAPH["b"], GRAPH["c"], GRAPH["f"]
    d = a * b + c
    right = {"d": f, "f": d, "e": f, "c": f, "a": f * b, "b": f * a}
    if "L" in answers:
        right = {"L": 1.0, **right}
    hints = {
        "L": "dL/dL = 1: the output's gradient with respect to itself starts the backward pass",
        "d": "L = d * f, so dL/dd is the OTHER factor, f",
        "f": "L = d * f, so dL/df is the OTHER factor, d = a*b + c",
        "e": "dL/de = dL/dd * dd/de, and a sum passes the gradient on unchanged (dd/de = 1)",
        "c": "dL/dc = dL/dd * dd/dc, and dd/dc = 1",
        "a": "dL/da = dL/de * de/da, and de/da = b (chain rule: upstream gradient times local slope)",
        "b": "dL/db = dL/de * de/db, and de/db = a",
    }
    upstream = "multiply the local slope by the upstream gradient dL/d"
    known = {
        "a": [(b, f"that is only the local slope de/da = b; {upstream}e")],
        "b": [(a, f"that is only the local slope de/db = a; {upstream}e")],
        "c": [(1.0, f"1 is only the local slope dd/dc; {upstream}d")],
        "e": [(1.0, f"1 is only the local slope dd/de; {upstream}d")],
    }
    return _grade("check_graph_gradients", answers, right, hints, known)


def check_shared_node_gradients(answers):
    """Check hand-computed gradients on L = a*b + a (a = 3, b = -4): a is used twice.

    answers: dict with "a" -> dL/da and "b" -> dL/db.
    """
    answers, failed = answer_value("check_shared_node_gradients", answers)
    if failed:
        return failed
    answers, failed = _read_answers("check_shared_node_gradients", answers, "ab")
    if failed:
        return failed
    a, b = SHARED_GRAPH["a"], SHARED_GRAPH["b"]
    plus_eq = ("a is used twice (in a*b and in + a): its gradient is the SUM of both "
               "contributions, b + 1; accumulate with +=, not =")
    hints = {"a": "add the slope along each path from a to L", "b": "L = a*b + a, so dL/db = a"}
    known = {"a": [(b, "you kept only the a*b path — " + plus_eq),
                   (1.0, "you kept only the `+ a` path — " + plus_eq)]}
    return _grade("check_shared_node_gradients", answers, {"a": b + 1.0, "b": a}, hints, known)


def _multiply_case(label, a, b, dout):
    da, db = b * dout, a * dout
    swapped = [((a * dout), "swapped: the slope of a*b with respect to a is the OTHER factor, b")]
    return Case(label, (a, b, dout), (da, db), names=("da", "db"),
                diag={"da": {"dout": dout, "alternatives": swapped},
                      "db": {"dout": dout, "alternatives": [(b * dout, swapped[0][1].replace(
                          "to a is the OTHER factor, b", "to b is the OTHER factor, a"))]}},
                hint="out = a * b: da = b * dout and db = a * dout")


def check_multiply_backward(fn):
    """Check ``fn(a, b, dout) -> (da, db)``: backward of out = a * b (elementwise).

    a, b, dout: numbers or arrays of one shape. Returns (da, db) of that shape:
    da = b * dout, db = a * dout.
    """
    rng = np.random.default_rng(105)
    cases = [
        _multiply_case("a = 2, b = -3, dout = 1", 2.0, -3.0, 1.0),
        _multiply_case("a = 2, b = -3, dout = -2", 2.0, -3.0, -2.0),
        _multiply_case("random arrays, shape (4,)", rng.normal(size=4), rng.normal(size=4),
                       rng.normal(size=4)),
    ]
    return run_cases("check_multiply_backward", fn, cases, ("a", "b", "dout"))


def _tanh_case(label, x, dout):
    t = np.tanh(x)
    alternatives = [
        ((1 - x**2) * dout, "you used 1 - x**2; the slope of tanh is 1 - tanh(x)**2"),
        ((1 - t) * dout, "the square is missing: tanh'(x) = 1 - tanh(x)**2"),
        (t * dout, "that is tanh(x) * dout; use the SLOPE of tanh, 1 - tanh(x)**2"),
    ]
    return Case(label, (x, dout), (1 - t**2) * dout, names=("dx",),
                diag={"dx": {"dout": dout, "alternatives": alternatives}},
                hint="dx = (1 - tanh(x)**2) * dout")


def check_tanh_backward(fn):
    """Check ``fn(x, dout) -> dx``: backward of out = tanh(x), elementwise.

    x: the INPUT of tanh, any shape. dout: upstream gradient, same shape.
    Returns dx = (1 - tanh(x)**2) * dout, same shape.
    """
    rng = np.random.default_rng(106)
    cases = [
        _tanh_case("x = [0, 0.5, -1], dout = 1", np.array([0.0, 0.5, -1.0]), np.ones(3)),
        _tanh_case("shape (2, 3), random dout", np.array([[0.1, -0.4, 2.0], [1.0, -1.5, 0.3]]),
                   rng.normal(size=(2, 3))),
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
    """dL/da and dL/db on L = a*b + a with a = 3, b = -4: a is used twice."""
    a, b = 3.0, -4.0
    dL_da = 0.0
    dL_da += b  # the path through a * b
    dL_da += 1.0  # the path through + a: contributions ADD UP
    return {"a": dL_da, "b": a}


def multiply_backward(a, b, dout):
    """out = a * b: each input's slope is the other input, times dout."""
    return b * dout, a * dout


def tanh_backward(x, dout):
    """out = tanh(x): dx = (1 - tanh(x)**2) * dout, same shape as x."""
    t = np.tanh(x)
    return (1.0 - t**2) * dout


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_graph_gradients": graph_gradients, "check_shared_node_gradients": shared_node_gradients, "check_multiply_backward": multiply_backward, "check_tanh_backward": tanh_backward}
