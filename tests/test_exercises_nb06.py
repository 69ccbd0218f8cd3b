"""Notebook 06's checkers (backprop_lessons/exercises/nb06_activations.py): right answers pass (any
correct formula, float32 at float32 precision), each typical mistake gets the hint that names it,
and coinciding mistakes get none (issue 12 §6)."""

import numpy as np
import pytest
from _exercises import run

from backprop_lessons.exercises import nb06_activations as nb06


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@pytest.mark.parametrize("name", ["check_sigmoid_prime", "check_leaky_relu_backward", "check_relu_backward"])
def test_reference_passes(capsys, name):
    result, out = run(capsys, getattr(nb06, name), nb06.SOLUTIONS[name])
    assert result.passed and result.n_cases == 3 and out.strip().endswith("All 3 cases passed.")


def test_a_stub_gets_one_line(capsys):
    def my_sigmoid_prime(z):
        raise NotImplementedError()

    result, out = run(capsys, nb06.check_sigmoid_prime, my_sigmoid_prime)
    assert not result.passed and out.strip().splitlines() == [
        "✗ `my_sigmoid_prime` is not written yet: replace `raise NotImplementedError()` with your code, "
        "then run this cell again"
    ]


# ---------------------------------------------------------------- the sigmoid's slope
@pytest.mark.parametrize(
    "fn",
    [
        lambda z: sigmoid(z) * (1 - sigmoid(z)),
        lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,  # the unsimplified derivation
        lambda z: 1 / (np.exp(z) + 2 + np.exp(-z)),  # another correct form
    ],
)
def test_any_correct_formula_passes(capsys, fn):
    assert run(capsys, nb06.check_sigmoid_prime, fn)[0].passed


@pytest.mark.parametrize("dtype", [np.float32])
def test_low_precision_answers_are_accepted_at_their_precision(capsys, dtype):
    # issue 12 §6: float32 answers failed with "expected 0.162445, got 0.162445"
    def low(z):
        z = np.asarray(z, dtype=dtype)
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s)

    result, out = run(capsys, nb06.check_sigmoid_prime, low)
    assert result.passed and "checked at float32 precision" in out, out


def test_a_float32_answer_that_is_really_wrong_still_fails(capsys):
    def off(z):
        s = 1 / (1 + np.exp(-np.asarray(z, dtype=np.float32)))
        return s * (1 - s) * np.float32(1.01)  # 1 % off: beyond float32 precision

    result, out = run(capsys, nb06.check_sigmoid_prime, off)
    assert not result.passed
    for line in out.splitlines()[:-1]:  # the two printed numbers differ
        expected, got = line.split("expected ")[1].split(" — ")[0].split(", got ")
        assert expected != got.split(" (")[0]


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda x: x * (1 - x), "first compute s = sigmoid(x)"),
        (lambda x: sigmoid(x), "its SLOPE"),
        (lambda x: 1 - sigmoid(x) ** 2, "slope of tanh"),
        (lambda x: sigmoid(x) * (1 + sigmoid(x)), "a sign slipped"),
    ],
)
def test_sigmoid_prime_mistakes(capsys, fn, hint):
    result, out = run(capsys, nb06.check_sigmoid_prime, fn)
    assert not result.passed and hint in out


def test_sigmoid_prime_refuses_a_value(capsys):
    result, out = run(capsys, nb06.check_sigmoid_prime, 0.25)
    assert not result.passed and "needs your function itself" in out


# ------------------------------------------------------------ leaky ReLU's backward
@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda z, d, s: d * (z > 0), "that is ReLU's backward pass"),
        (lambda z, d, s: np.where(z > 0, 1.0, s), "only the local slope"),
        (lambda z, d, s: d * np.where(z >= 0, 1.0, s), "not z >= 0"),
        (lambda z, d, s: d * np.where(z > 0, z, s * z), "multiplied by leaky_relu(z)"),
        (lambda z, d, s: np.where(d > 0, d, s * d), "mask comes from the INPUT z"),
        (lambda z, d, s: d * np.where(z > 0, s, 1.0), "two sides are swapped"),
        (lambda z, d, s: d * np.where(z > 0, 1.0, 0.01), "not a fixed 0.01"),
    ],
)
def test_leaky_relu_mistakes(capsys, fn, hint):
    result, out = run(capsys, nb06.check_leaky_relu_backward, fn)
    assert not result.passed and hint in out, out


def test_leaky_relu_coinciding_mistakes_get_no_hint(capsys):
    # in case 2 "mask from dout" and "sides swapped" give the same numbers: neither is named there
    _, out = run(capsys, nb06.check_leaky_relu_backward, lambda z, d, s: np.where(d > 0, d, s * d))
    line = out.splitlines()[1]
    assert line.startswith("✗ case 2") and "mask" not in line and "swapped" not in line


def test_leaky_relu_in_place_and_signature(capsys):
    def in_place(z, dout, slope):
        dout[z <= 0] *= slope
        return dout

    result, out = run(capsys, nb06.check_leaky_relu_backward, in_place)
    assert not result.passed and "changed its input `dout` in place" in out
    _, out = run(capsys, nb06.check_leaky_relu_backward, lambda z, dout: dout)
    assert "your function must take (z, dout, slope)" in out


def test_leaky_reference_matches_the_package_and_finite_differences():
    from backprop_lessons.activations import leaky_relu, leaky_relu_prime

    z = np.array([-2.5, -0.3, 0.0, 0.4, 1.7])
    dout = np.array([0.3, -1.0, 2.0, 0.5, -0.7])
    got = nb06.leaky_relu_backward(z, dout, 0.1)
    np.testing.assert_allclose(got, dout * leaky_relu_prime(z, alpha=0.1))
    h = 1e-6
    for i in (0, 1, 3, 4):  # away from the kink
        slope = (leaky_relu(z[i] + h, alpha=0.1) - leaky_relu(z[i] - h, alpha=0.1)) / (2 * h)
        assert got[i] == pytest.approx(dout[i] * slope, rel=1e-6)


# ------------------------------------------------------------------ ReLU (self-study)
@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda x, dout: dout * (x >= 0), "not x >= 0"),
        (lambda x, dout: (x > 0).astype(float), "multiply it by the upstream gradient dout"),
        (lambda x, dout: dout * np.maximum(x, 0), "multiplied by relu(x)"),
        (lambda x, dout: np.maximum(dout, 0), "mask comes from the INPUT x"),
    ],
)
def test_relu_backward_mistakes(capsys, fn, hint):
    result, out = run(capsys, nb06.check_relu_backward, fn)
    assert not result.passed and hint in out
