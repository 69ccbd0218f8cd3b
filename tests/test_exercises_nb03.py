"""Checkers of notebook 03 (chain rule): graph gradients, the shared node, the new operation x ** n.

Pins the issue-12 §6 cases: node names are whole names (the key "de" is node e, never a substring
match), 0-d numpy arrays are numbers; and every diagnosed mistake of ``check_tiny_pow``.
"""

import math

import numpy as np
import pytest
from _exercises import run

from backprop_lessons.exercises import nb03_chain_rule as nb03


class TinyValue:
    """The notebook's TinyValue (section 4), copied so the checker is tested on the class it gets."""

    def __init__(self, data, parents=(), local_grads=()):
        self.data, self.grad, self.parents, self.local_grads = data, 0.0, parents, local_grads

    def __add__(self, other):
        return TinyValue(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        return TinyValue(self.data * other.data, (self, other), (other.data, self.data))

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if node not in seen:
                seen.add(node)
                for parent in node.parents:
                    visit(parent)
                order.append(node)

        visit(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad


RIGHT = {"a": 6.0, "b": -4.0, "c": -2.0, "d": -2.0, "e": -2.0, "f": 4.0}


# ------------------------------------------------------------------ check_graph_gradients
def test_graph_gradients_hints(capsys):
    answers = {"da": -3.0, "dL/db": 4.0, "c": 1.0, "d": -2.0, "e": -2.0}
    result, out = run(capsys, nb03.check_graph_gradients, answers)
    assert (result.n_passed, result.n_cases) == (2, 6)
    assert "dL/da: got -3 — hint: that is only the local derivative ∂e/∂a = b" in out
    assert "dL/db: got 4 — hint: wrong sign" in out
    assert "dL/dc: got 1 — hint: 1 is only the local derivative ∂d/∂c" in out
    assert "dL/df: missing — add answers['f']" in out
    assert "6" not in out.split("dL/da")[1].split("\n")[0].replace("-3", "")  # the answer is not revealed
    result, out = run(capsys, nb03.check_graph_gradients, [6, -4])
    assert not result.passed and "expected a dict" in out


@pytest.mark.parametrize("style", ["{}", "d{}", "dL/d{}", "dL_d{}", "∂L/∂{}", " {} "])
def test_every_key_style_names_the_node_never_a_substring(capsys, style):
    # issue 12 §6: "de" passed a substring test ("de" in "abcdefL") and was told "dL/de: missing"
    result, out = run(capsys, nb03.check_graph_gradients, {style.format(k): v for k, v in RIGHT.items()})
    assert result.passed, out
    assert "missing" not in out


def test_an_unknown_key_is_named(capsys):
    result, out = run(capsys, nb03.check_graph_gradients, {**RIGHT, "de_da": 1.0})
    assert not result.passed and "unknown key 'de_da'" in out


def test_numpy_scalars_and_0d_arrays_are_numbers(capsys):
    # issue 12 §6: "expected a number, got an array of shape a single number"
    answers = {k: (np.array(v) if k in "ab" else np.float32(v) if k == "c" else np.int64(v)) for k, v in RIGHT.items()}
    result, out = run(capsys, nb03.check_graph_gradients, answers)
    assert result.passed, out
    result, out = run(capsys, nb03.check_graph_gradients, {**RIGHT, "a": np.array([6.0])})
    assert not result.passed and "got an array of shape (1,): take its only entry with .item()" in out
    result, out = run(capsys, nb03.check_graph_gradients, {**RIGHT, "a": True})
    assert not result.passed and "expected a number, got a bool" in out


def test_answer_functions_and_stubs(capsys):
    assert run(capsys, nb03.check_graph_gradients, lambda: RIGHT)[0].passed

    def graph_gradients():
        raise NotImplementedError()

    result, out = run(capsys, nb03.check_graph_gradients, graph_gradients)
    assert not result.passed and out.count("\n") == 1 and "`graph_gradients` is not written yet" in out


# -------------------------------------------------------------- check_shared_node_gradients
def test_shared_node_reference_and_finite_difference(capsys):
    a, b, h = nb03.SHARED_GRAPH["a"], nb03.SHARED_GRAPH["b"], 1e-6
    L = lambda a, b: (a + b) * a  # noqa: E731
    fd = ((L(a + h, b) - L(a - h, b)) / (2 * h), (L(a, b + h) - L(a, b - h)) / (2 * h))
    ref = nb03.shared_node_gradients()
    assert ref["a"] == pytest.approx(fd[0]) and ref["b"] == pytest.approx(fd[1])
    assert run(capsys, nb03.check_shared_node_gradients, nb03.shared_node_gradients)[0].passed


@pytest.mark.parametrize("wrong, words", [(3.0, "only the path through s"), (-1.0, "only the direct path")])
def test_shared_node_names_the_missing_path(capsys, wrong, words):
    result, out = run(capsys, nb03.check_shared_node_gradients, {"a": wrong, "b": 3.0})
    assert result.n_passed == 1 and words in out and "accumulate with +=, not =" in out


# ------------------------------------------------------------------------- check_tiny_pow
def test_tiny_pow_reference_passes_against_finite_differences(capsys):
    result, out = run(capsys, nb03.check_tiny_pow, nb03.tiny_pow, TinyValue)
    assert result.passed and result.n_cases == 4 and "finite difference 6.75" in out


@pytest.mark.parametrize(
    "fn, words",
    [
        (lambda x, n: TinyValue(x.data**n, (x,), (n * x.data**n,)), "the exponent must drop by one"),
        (lambda x, n: TinyValue(x.data**n, (x,), (x.data ** (n - 1),)), "the factor n is missing"),
        (lambda x, n: TinyValue(x.data**n, (x,), (n * x.data,)), "that is n * x"),
        (lambda x, n: TinyValue(x.data**n, (x,), (x.data**n,)), "the forward value"),
        (lambda x, n: TinyValue(x.data**n, (), ()), "pass (x,) as the parents"),
        (
            lambda x, n: TinyValue(x.data * n, (x,), (n * x.data ** (n - 1),)),
            "forward: out.data should be x ** n = 3.375",
        ),
        (lambda x, n: x.data**n, "expected a new TinyValue, got a single number"),
        (lambda x, n: TinyValue(x**n, (x,), (n * x ** (n - 1),)), "compute with the number x.data"),
    ],
)
def test_tiny_pow_mistakes_are_named(capsys, fn, words):
    result, out = run(capsys, nb03.check_tiny_pow, fn, TinyValue)
    assert not result.passed and words in out, out


def test_tiny_pow_stub_and_wrong_call(capsys):
    def tiny_pow(x, n):
        raise NotImplementedError()

    result, out = run(capsys, nb03.check_tiny_pow, tiny_pow, TinyValue)
    assert not result.passed and out.count("\n") == 1 and "`tiny_pow` is not written yet" in out
    result, out = run(capsys, nb03.check_tiny_pow, nb03.tiny_pow(TinyValue(2.0), 2), TinyValue)
    assert not result.passed and "check_tiny_pow(tiny_pow, TinyValue)" in out


def test_tiny_pow_graph_case_matches_the_package_value():
    from backprop_lessons.autograd import Value

    x, y = Value(0.5), Value(-3.0)
    L = (x * y + x) ** 2
    L.backward()
    X, Y = TinyValue(0.5), TinyValue(-3.0)
    T = nb03.tiny_pow(X * Y + X, 2)
    T.backward()
    assert math.isclose(X.grad, x.grad) and math.isclose(Y.grad, y.grad)


# ------------------------------------------------------ check_tanh_backward (kept for notebook 06)
def test_forgetting_dout_passes_only_the_case_with_dout_equal_to_one(capsys):
    result, out = run(capsys, nb03.check_tanh_backward, lambda x, dout: 1 - np.tanh(x) ** 2)
    assert (result.n_passed, result.n_cases) == (1, 3)
    assert out.splitlines()[0].startswith("✓ case 1")


def test_multiplying_by_the_forward_value_is_named(capsys):
    # issue 12 §6: a*b*dout was told "an extra factor 2" (a = 2 by coincidence)
    result, out = run(capsys, nb03.check_multiply_backward, lambda a, b, dout: (a * b * dout, a * b * dout))
    assert result.n_passed == 0 and out.count("a * b is the forward value, not a slope") == 3
    assert "factor 2" not in out
