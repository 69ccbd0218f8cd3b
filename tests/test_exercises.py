"""Tests for backprop_lessons.exercises: checkers that name the learner's mistake.

Every checker is run with its reference solution (all ✓), with the typical wrong
answers it claims to diagnose (the hint must NAME that mistake), with a function
that raises (the message names the learner's line, no traceback), returns None,
or returns the wrong type. The checkers' own right answers are checked against
finite differences, independently of the formulas they are written with.
"""

import linecache
import re

import numpy as np
import pytest
from _exercises import SOLUTION_FILES, ex, run, solutions

from backprop_lessons.exercises import diagnose as dg
from backprop_lessons.exercises._format import fmt_number, fmt_pair, fmt_value

FUNCTION_CHECKERS = [
    "multiply_backward",
    "tanh_backward",
    "linear_backward",
    "two_layer_backward",
]  # notebook 07's checkers: tests/test_exercises_nb07.py


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ---------------------------------------------------------------- right answers pass
@pytest.mark.parametrize("name", FUNCTION_CHECKERS)
def test_reference_solution_passes_its_checker(capsys, name):
    result, out = run(capsys, getattr(ex, "check_" + name), getattr(solutions, name))
    assert result.passed and result.n_passed == result.n_cases >= 3
    lines = out.strip().splitlines()
    assert len(lines) == result.n_cases + 1
    assert all(line.startswith("✓ case") for line in lines[:-1])
    assert lines[-1] == f"All {result.n_cases} cases passed."
    assert repr(result) == f"CheckResult({result.n_cases}/{result.n_cases} passed)"


def test_answer_checkers_accept_the_reference_answers(capsys):
    assert run(capsys, ex.check_graph_gradients, solutions.graph_gradients())[0].passed
    assert run(capsys, ex.check_shared_node_gradients, solutions.shared_node_gradients())[0].passed
    assert run(capsys, ex.check_bug_hunt, solutions.bug_hunt())[0].passed


def test_output_is_deterministic_and_rounded(capsys):
    bad = lambda dout, X, W: (dout @ W.T, X.T @ dout * 1.5, dout.sum(0))  # noqa: E731
    _, first = run(capsys, ex.check_linear_backward, bad)
    _, second = run(capsys, ex.check_linear_backward, bad)
    assert first == second
    assert "0x" not in first
    # no float printed with more than 6 significant digits
    assert not re.search(r"\d\.\d{7,}", first)


# ------------------------------------------------- wrong answers: the hint names the mistake
WRONG = [
    # 03
    ("multiply_backward", lambda a, b, dout: (b, a), "multiply it by the upstream gradient dout"),
    ("multiply_backward", lambda a, b, dout: (a * dout, b * dout), "swapped"),
    ("tanh_backward", lambda x, dout: 1 - np.tanh(x) ** 2, "multiply it by the upstream gradient dout"),
    ("tanh_backward", lambda x, dout: (1 - x**2) * dout, "you used 1 - x**2"),
    ("tanh_backward", lambda x, dout: (1 - np.tanh(x)) * dout, "the square is missing"),
    ("tanh_backward", lambda x, dout: (np.tanh(x) ** 2 - 1) * dout, "wrong sign"),
    # 04
    ("linear_backward", lambda d, X, W: (d @ W.T, d.T @ X, d.sum(0)), "transpose"),
    ("linear_backward", lambda d, X, W: (d @ W.T, X.T @ d, d), "sum over the batch axis"),
    ("linear_backward", lambda d, X, W: (d @ W.T, X.T @ d, d.sum(axis=1)), "summed over the wrong axis"),
    ("linear_backward", lambda d, X, W: (d @ W.T, X.T @ d, d.sum(0, keepdims=True)), "drop the extra axis"),
    ("linear_backward", lambda d, X, W: (d @ W.T, X.T @ d, d.sum()), "summed over every axis"),
    ("linear_backward", lambda d, X, W: (d @ W.T, X.T @ d, d.mean(0)), "N = 5 times too small"),
    ("linear_backward", lambda d, X, W: (d @ W.T, -(X.T @ d), d.sum(0)), "wrong sign"),
    (
        "linear_backward",
        lambda d, X, W: (d @ W.T, X.T @ d, d.sum(0), 0),
        "a tuple of 3 values (dX, dW, db), got a tuple of 4",
    ),
    # 05, 06 and 07: tests/test_exercises_nb05.py, tests/test_exercises_nb06.py, tests/test_exercises_nb07.py
]


@pytest.mark.parametrize("name, fn, hint", WRONG, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG)])
def test_wrong_answer_gets_a_hint_naming_the_mistake(capsys, name, fn, hint):
    result, out = run(capsys, getattr(ex, "check_" + name), fn)
    assert not result.passed
    assert hint in out, out
    assert out.strip().splitlines()[-1] == f"{result.n_passed} of {result.n_cases} cases passed."


# --------------------------------------------- errors, None, wrong types, mutation
def _learners_helper():
    raise RuntimeError("learner bug")


def learner_raises(*args):
    return _learners_helper()


@pytest.mark.parametrize("name", FUNCTION_CHECKERS)
def test_every_checker_reports_exceptions_none_and_wrong_types(capsys, name):
    checker = getattr(ex, "check_" + name)
    result, out = run(capsys, checker, learner_raises)
    line = _learners_helper.__code__.co_firstlineno + 1
    expected = (
        f"your function raised RuntimeError on line {line} of test_exercises.py: "
        '`raise RuntimeError("learner bug")` (learner bug)'
    )
    assert result.n_passed == 0 and out.count(expected) == result.n_cases
    result, out = run(capsys, checker, lambda *args: None)
    assert result.n_passed == 0 and out.count("did you forget `return`?") == result.n_cases
    result, out = run(capsys, checker, lambda *args: "oops")
    assert result.n_passed == 0 and out.count("got a string 'oops'") == result.n_cases


def raising_layer_forward(X, W, b):
    out = X @ W.T + b  # the learner's bug: W.T does not fit
    return out


def test_exception_names_the_learners_line_without_traceback(capsys):
    result, out = run(capsys, ex.check_layer_forward, raising_layer_forward)
    assert result.n_passed == 0
    line = raising_layer_forward.__code__.co_firstlineno + 1
    assert (
        f"your function raised ValueError on line {line} of test_exercises.py: "
        "`out = X @ W.T + b  # the learner's bug: W.T does not fit`" in out
    )
    assert "inner dimensions" in out and "X (4, 3), W (3, 2), b (2,)" in out


def test_exception_in_a_notebook_cell_names_the_line_only():
    source = "import numpy as np\ndef f(x, w, b):\n    z = w @ x + b\n    return 1 / 0\n"
    filename = "/tmp/ipykernel_4242/123456789.py"  # what IPython calls a cell's code
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {}
    exec(compile(source, filename, "exec"), namespace)
    try:
        namespace["f"](np.ones(2), np.ones(2), 0.0)
    except ZeroDivisionError as exc:
        message = ex._runner.learner_error(exc, ("x", "w", "b"))
    assert message == "your function raised ZeroDivisionError on line 4: `return 1 / 0` (division by zero)"


def test_exception_inside_numpy_points_to_the_learners_call(capsys):
    def fn(x):
        return np.linalg.inv(np.zeros((2, 2))) @ x  # LinAlgError is raised inside numpy's code

    _, out = run(capsys, ex.check_sigmoid_prime, fn)
    assert f"LinAlgError on line {fn.__code__.co_firstlineno + 1} of test_exercises.py" in out


def test_not_implemented_and_wrong_signature(capsys):
    def todo(x, dout):
        raise NotImplementedError

    result, out = run(capsys, ex.check_relu_backward, todo)
    # a stub gets exactly one line, however many cases the checker has
    assert out.strip().splitlines() == [
        "✗ `todo` is not written yet: replace `raise NotImplementedError()` with your code, then run this cell again"
    ]
    assert not result.passed and result.n_passed == 0 and result.summary == out.strip()

    def culprit():
        raise NotImplementedError()

    result, out = run(capsys, ex.check_bug_hunt, culprit)
    assert "`culprit` is not written yet" in out and not result.passed
    assert run(capsys, ex.check_bug_hunt, lambda: "C")[0].passed  # an answer function
    assert run(capsys, ex.check_graph_gradients, solutions.graph_gradients)[0].passed
    _, out = run(capsys, ex.check_relu_backward, lambda x: x)
    assert "your function must take (x, dout)" in out


def test_none_and_wrong_types(capsys):
    def forgot_return(y_hat, y):
        np.mean((y_hat - y) ** 2)

    result, out = run(capsys, ex.check_mse, forgot_return)
    assert result.n_passed == 0 and out.count("returned None: did you forget `return`?") == 3
    _, out = run(capsys, ex.check_mse, lambda y_hat, y: "0.5")
    assert "expected a single number, got a string '0.5'" in out
    _, out = run(capsys, ex.check_layer_forward, lambda X, W, b: (X @ W + b).tolist())
    assert "expected a numpy array of shape (1, 3), got a list of 1 item" in out
    _, out = run(capsys, ex.check_multiply_backward, lambda a, b, dout: b * dout)
    assert "expected a tuple of 2 values (da, db), got a single number" in out
    _, out = run(capsys, ex.check_two_layer_backward, lambda *args: [1, 2])
    assert "expected a dict with keys W2, b2, W1, b1, got a list of 2 items" in out


def test_a_list_of_arrays_is_a_fine_tuple(capsys):
    assert run(capsys, ex.check_linear_backward, lambda d, X, W: list(solutions.linear_backward(d, X, W)))[0].passed


def test_passing_the_result_instead_of_the_function(capsys):
    result, out = run(capsys, ex.check_mse, 0.25)
    assert result.n_passed == 0 and result.n_cases == 3
    assert "check_mse needs your function itself" in out and "a single number (0.25)" in out


def test_changing_an_input_in_place_is_caught_and_inputs_are_copies(capsys):
    seen = []

    def relu_in_place(x, dout):
        seen.append(dout)
        dout[x <= 0] = 0
        return dout

    result, out = run(capsys, ex.check_relu_backward, relu_in_place)
    assert result.n_passed == 0 and "changed its input `dout` in place" in out
    assert "right answer, but" in out
    # the checker's own arrays were not touched: a second, correct run still passes
    assert run(capsys, ex.check_relu_backward, solutions.relu_backward)[0].passed


# ------------------------------------------------------------------ answer checkers
# notebook 03's and 04's checkers: tests/test_exercises_nb03.py, tests/test_exercises_nb04.py
# notebook 05's answer checkers: tests/test_exercises_nb05.py


@pytest.mark.parametrize("name", solutions.__all__)
def test_show_solution_prints_the_source(capsys, name):
    assert ex.show_solution("check_" + name) is None
    out = capsys.readouterr().out
    assert out.startswith(f"Reference solution for check_{name} ({SOLUTION_FILES['check_' + name]}):\n")
    fns = getattr(solutions, name)
    for fn in fns if isinstance(fns, tuple) else (fns,):
        assert f"def {fn.__name__}(" in out
    ex.show_solution(name)  # without the prefix, too
    assert capsys.readouterr().out == out


def test_show_solution_unknown_name_lists_the_valid_ones(capsys):
    ex.show_solution("check_everything")
    out = capsys.readouterr().out
    assert "There is no solution for 'check_everything'" in out and "check_linear_backward" in out
    ex.show_solution(ex.check_mse)
    assert "def mse(" in capsys.readouterr().out


# ------------------------------------------- the checkers' right answers are right
def numgrad(f, x, h=1e-6):
    """Central differences of a scalar function f at x (float64 array), x restored after."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f()
        x[i] = old - h
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * h)
    return g


def test_linear_backward_reference_matches_finite_differences():
    from backprop_lessons.exercises.nb04_backpropagation import _linear_cases

    for case in _linear_cases():
        dout, X, W = (a.copy() for a in case.args)
        b = np.zeros(W.shape[1])
        loss = lambda: float(np.sum((X @ W + b) * dout))  # noqa: E731  d loss/d out = dout
        for got, x in zip(case.expected, (X, W, b)):
            np.testing.assert_allclose(got, numgrad(loss, x), rtol=1e-6, atol=1e-8)


def test_two_layer_reference_matches_finite_differences():
    from backprop_lessons.exercises.nb04_backpropagation import _two_layer_case

    case = _two_layer_case("t", np.random.default_rng(0), 4, 3, 5)
    X, y, W1, b1, W2, b2 = (a.copy() for a in case.args)
    loss = lambda: float(np.mean((np.tanh(X @ W1 + b1) @ W2 + b2 - y) ** 2))  # noqa: E731
    for key, x in {"W1": W1, "b1": b1, "W2": W2, "b2": b2}.items():
        np.testing.assert_allclose(case.expected[key], numgrad(loss, x), rtol=1e-5, atol=1e-8)


def test_elementwise_references_match_finite_differences():
    x = np.array([-2.5, -0.3, 0.4, 1.7])
    for fn, f in ((solutions.tanh_backward, np.tanh), (lambda x, d: solutions.sigmoid_prime(x) * d, sigmoid)):
        for i in range(len(x)):
            h = 1e-6
            slope = (f(x[i] + h) - f(x[i] - h)) / (2 * h)
            assert fn(x, np.ones(4))[i] == pytest.approx(slope, rel=1e-6)
    y_hat, y = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0, 1.5])
    np.testing.assert_allclose(
        solutions.mse_gradient(y_hat, y), numgrad(lambda: float(np.mean((y_hat - y) ** 2)), y_hat), rtol=1e-6
    )


# ------------------------------------------------------------------------ diagnose
def test_close_uses_relative_tolerance_and_rejects_nan():
    assert dg.close(0.25**30 * (1 + 1e-7), 0.25**30)
    assert not dg.close(0.25**30 * 1.01, 0.25**30)
    assert not dg.close(np.array([1.0, np.nan]), np.array([1.0, 1.0]))
    assert not dg.close(np.ones(3), np.ones((3, 1)))


def test_factor_signatures():
    e = np.array([[1.0, -2.0], [0.5, 3.0]])
    assert "wrong sign" in dg.factor_hint(-e, e)
    assert "twice" in dg.factor_hint(2 * e, e)
    assert "a factor 2 is missing" in dg.factor_hint(e / 2, e)
    assert "N = 5 times too large" in dg.factor_hint(5 * e, e, batch_size=5)
    assert "N = 5 times too small" in dg.factor_hint(e / 5, e, batch_size=5)
    assert "forgot both" in dg.factor_hint(2.5 * e, e, batch_size=5)
    assert dg.factor_hint(-2 * e, e).startswith("wrong sign, and twice")
    assert dg.factor_hint(3 * e, e) is None  # no batch size given: 3 means nothing
    assert dg.factor_hint(e + 1, e) is None  # not a constant factor
    assert dg.factor_hint(e, np.zeros_like(e)) is None


def test_shape_signatures():
    col = np.arange(1.0, 5.0).reshape(4, 1)
    assert "keepdims=True or .reshape(-1, 1)" in dg.shape_hint(col.ravel(), col)
    assert "drop the extra axis" in dg.shape_hint(col, col.ravel())
    assert "broadcast to (N, N)" in dg.shape_hint(col - col.ravel(), col)
    M = np.arange(6.0).reshape(2, 3)
    assert "transposed: shape (3, 2) instead of (2, 3)" in dg.shape_hint(M.T, M)
    rows = np.arange(12.0).reshape(4, 3)
    assert "sum over the batch axis: .sum(axis=0)" in dg.shape_hint(rows, rows.sum(0))
    assert "summed over the wrong axis" in dg.shape_hint(rows.sum(1), rows.sum(0), batch_size=4)
    assert "summed over every axis" in dg.shape_hint(rows.sum(), rows.sum(0))
    assert ".mean()" in dg.shape_hint(col, col.mean())
    assert dg.shape_hint(np.ones(5), np.ones(3)) == "expected shape (3,), got shape (5,)"
    assert dg.shape_hint(M, M + 1) is None


def test_transposed_forgot_dout_and_contribution_signatures():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert "transpose of the answer" in dg.transposed_hint(A.T, A)
    assert dg.transposed_hint(A + A.T, A + A.T) is None  # symmetric: nothing to say
    local, dout = np.array([0.5, 0.2, 0.9]), np.array([2.0, -1.0, 0.5])
    assert "upstream gradient dout" in dg.forgot_dout_hint(local, local * dout, dout)
    assert "twice" in dg.forgot_dout_hint(local * dout**2, local * dout, dout)
    assert dg.forgot_dout_hint(local, local, np.ones(3)) is None
    parts = [np.array([1.0, 2.0]), np.array([-3.0, 0.5])]
    assert "+=" in dg.one_contribution_hint(parts[1], parts)
    assert dg.one_contribution_hint(parts[0] + parts[1], parts) is None


def test_diagnose_order_and_special_cases():
    e = np.array([1.0, -2.0, 3.0])
    assert dg.diagnose(-e, e, alternatives=[(-e, "specific")]) == "specific"
    assert "NaN or inf" in dg.diagnose(np.array([1.0, np.inf, 3.0]), e)
    assert "every entry of your array is 0" in dg.diagnose(np.zeros(3), e)
    assert dg.diagnose(0.0, 0.25) is None  # a single 0 is not a pattern
    assert dg.diagnose(e + np.array([0.1, 0.0, 0.0]), e) is None


def test_formatting_is_rounded_and_distinguishes_values():
    assert fmt_number(0.1 + 0.2) == "0.3"
    assert fmt_number(-0.0) == "0" and fmt_number(float("nan")) == "nan"
    assert fmt_value(np.array([[1.23456789, -2.0]])) == "[[1.235, -2]]"
    assert fmt_pair(1.00001, 1.00002) == ("1.00001", "1.00002")


def test_float32_answers_are_checked_at_float32_precision_and_said_so(capsys):
    def sigmoid_prime_f32(x):
        s = 1 / (1 + np.exp(-np.asarray(x, dtype=np.float32)))
        return s * (1 - s)

    result, out = run(capsys, ex.check_sigmoid_prime, sigmoid_prime_f32)
    assert result.passed, out
    assert "slope is float32: checked at float32 precision (relative tolerance 0.001)" in out

    def one_percent_off(x):
        return sigmoid_prime_f32(x) * np.float32(1.01)

    result, out = run(capsys, ex.check_sigmoid_prime, one_percent_off)
    assert not result.passed
    # the message shows enough digits to see the difference: never "expected 0.25, got 0.25"
    for line in out.splitlines():
        m = re.search(r"expected (\S+), got (\S+)", line)
        if m:
            assert m.group(1) != m.group(2), line


def test_a_wrong_tiny_entry_is_the_one_shown(capsys):
    from backprop_lessons.exercises._runner import _mismatch

    expected = np.array([1.0, 2.0, 3.0, 4.0, 1e-6])
    got = np.array([1.0, 2.0, 3.0, 4.0, 2e-6])
    assert _mismatch("g", got, expected).startswith("g[4]: expected 1e-06, got 2e-06")
