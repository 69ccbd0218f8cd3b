"""Losses: hand-computed values, gradients against finite differences, stability, bad targets."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lessons.gradcheck import numerical_gradient
from backprop_lessons.losses import LOSSES, binary_cross_entropy, get_loss, mse, softmax_cross_entropy

H = 1e-5


def fd_loss_gradient(loss_fn, pred, y, h=H):
    """Independent central-difference loop over the entries of pred."""
    pred = np.array(pred, dtype=np.float64)
    grad = np.zeros_like(pred)
    for i in np.ndindex(pred.shape):
        old = pred[i]
        pred[i] = old + h
        plus = loss_fn(pred, y)[0]
        pred[i] = old - h
        minus = loss_fn(pred, y)[0]
        pred[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def rel(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


def scaled(a, b):
    return np.max(np.abs(a - b)) / max(np.abs(a).max(), np.abs(b).max())


def rng(seed):
    return np.random.default_rng(seed)


# ------------------------------------------------------------- registry
def test_registry_and_get_loss():
    assert LOSSES == {"mse": mse, "bce": binary_cross_entropy, "softmax": softmax_cross_entropy}
    assert get_loss("bce") is binary_cross_entropy
    with pytest.raises(ValueError) as err:
        get_loss("hinge")
    assert "unknown loss 'hinge'; choose one of: bce, mse, softmax" in str(err.value)
    with pytest.raises(TypeError, match="loss must be a name, one of: bce, mse, softmax; got function"):
        get_loss(mse)


# -------------------------------------------------------------------- mse
def test_mse_by_hand():
    loss, dpred = mse([1.0, 2.0], [0.0, 0.0])
    assert loss == 2.5 and type(loss) is float  # (1 + 4) / 2
    np.testing.assert_array_equal(dpred, [1.0, 2.0])  # 2 (y_hat - y) / n
    loss, dpred = mse(np.array([[3.0], [1.0], [2.0]]), np.array([1.0, 1.0, 1.0]))  # (N, 1) with (N,)
    assert loss == pytest.approx(5.0 / 3.0, rel=1e-15)
    np.testing.assert_allclose(dpred, [[4.0 / 3.0], [0.0], [2.0 / 3.0]], rtol=1e-15)
    assert dpred.shape == (3, 1)


def test_mse_means_over_all_entries():
    loss, dpred = mse(np.ones((2, 3)), np.zeros((2, 3)))
    assert loss == 1.0
    np.testing.assert_allclose(dpred, np.full((2, 3), 2.0 / 6.0), rtol=1e-15)


# -------------------------------------------------------------------- bce
def test_bce_by_hand():
    loss, dlogits = binary_cross_entropy([0.0, 0.0], [1, 0])
    assert loss == pytest.approx(math.log(2.0), rel=1e-15)  # sigmoid(0) = 1/2 for both
    np.testing.assert_allclose(dlogits, [-0.25, 0.25], rtol=1e-15)  # (1/2 - y) / N
    loss, _ = binary_cross_entropy(np.array([[2.0]]), np.array([1.0]))
    assert loss == pytest.approx(math.log1p(math.exp(-2.0)), rel=1e-14)


def test_bce_matches_the_textbook_formula_for_moderate_logits():
    z = rng(0).uniform(-8, 8, size=(20, 1))
    y = (rng(1).random(20) > 0.5).astype(float)
    s = 1 / (1 + np.exp(-z[:, 0]))
    textbook = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    loss, dz = binary_cross_entropy(z, y)
    assert loss == pytest.approx(textbook, rel=1e-12)
    np.testing.assert_allclose(dz[:, 0], (s - y) / 20, rtol=1e-12, atol=1e-18)


@pytest.mark.filterwarnings("error")
def test_bce_is_stable_for_huge_logits():
    z = np.array([[1000.0], [-1000.0], [1000.0], [-1000.0]])
    y = np.array([1, 0, 0, 1])
    loss, dz = binary_cross_entropy(z, y)
    # per example: right and confident -> 0; wrong and confident -> |z| = 1000
    assert loss == pytest.approx(500.0, rel=1e-15)
    np.testing.assert_allclose(dz[:, 0], [0.0, 0.0, 0.25, -0.25], atol=1e-300)
    loss, dz = binary_cross_entropy(np.array([1000.0, -1000.0]), np.array([1.0, 0.0]))
    assert loss == 0.0 and np.all(dz == 0.0)


# ---------------------------------------------------------------- softmax
def test_softmax_by_hand():
    loss, dscores = softmax_cross_entropy(np.zeros((2, 4)), [1, 3])
    assert loss == pytest.approx(math.log(4.0), rel=1e-15)  # uniform over 4 classes
    expected = np.full((2, 4), 0.25)
    expected[[0, 1], [1, 3]] -= 1.0
    np.testing.assert_allclose(dscores, expected / 2, rtol=1e-15)
    loss, _ = softmax_cross_entropy(np.array([[1.0, 2.0, 3.0]]), [2])
    assert loss == pytest.approx(-3.0 + math.log(math.exp(1) + math.exp(2) + math.exp(3)), rel=1e-14)


@pytest.mark.filterwarnings("error")
def test_softmax_is_stable_for_huge_scores():
    scores = np.array([[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]])
    loss, dscores = softmax_cross_entropy(scores, [0, 2])
    assert loss == pytest.approx(1000.0, rel=1e-15)  # row 0: 0; row 1: 2000
    np.testing.assert_allclose(dscores, [[0.0, 0.0, 0.0], [0.5, 0.0, -0.5]], atol=1e-300)
    same, _ = softmax_cross_entropy(scores + 1e4, [0, 2])  # shifting all scores changes nothing
    assert same == pytest.approx(loss, rel=1e-15)


def test_softmax_gradient_rows_sum_to_zero():
    _, dscores = softmax_cross_entropy(rng(2).normal(size=(6, 5)), [0, 1, 2, 3, 4, 0])
    np.testing.assert_allclose(dscores.sum(axis=1), 0.0, atol=1e-16)


def test_softmax_accepts_whole_number_floats_as_labels():
    scores = rng(3).normal(size=(3, 3))
    assert softmax_cross_entropy(scores, [0.0, 2.0, 1.0])[0] == softmax_cross_entropy(scores, [0, 2, 1])[0]


# ------------------------------------------------------------ gradients
CASES = {
    "mse": (mse, lambda r: (r.normal(size=(5, 2)), r.normal(size=(5, 2)))),
    "mse_column": (mse, lambda r: (r.normal(size=(6, 1)), r.normal(size=6))),
    "bce": (binary_cross_entropy, lambda r: (r.normal(0, 3, size=(7, 1)), r.integers(0, 2, size=7))),
    "softmax": (softmax_cross_entropy, lambda r: (r.normal(0, 2, size=(5, 4)), r.integers(0, 4, size=5))),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_loss_gradients_match_finite_differences(case):
    loss_fn, make = CASES[case]
    pred, y = make(rng(5))
    _, dpred = loss_fn(pred, y)
    assert dpred.shape == pred.shape
    assert rel(dpred, fd_loss_gradient(loss_fn, pred, y)) < 1e-7
    numeric = numerical_gradient(lambda p: loss_fn(p, y)[0], pred.copy())
    assert rel(dpred, numeric) < 1e-7


@settings(max_examples=20)
@given(case=st.sampled_from(sorted(CASES)), seed=st.integers(0, 2**16))
def test_loss_gradients_property(case, seed):
    # Random draws can put an entry near 0, where an elementwise relative error
    # measures rounding noise; compare against the gradient's scale instead.
    loss_fn, make = CASES[case]
    pred, y = make(rng(seed))
    _, dpred = loss_fn(pred, y)
    assert scaled(dpred, fd_loss_gradient(loss_fn, pred, y)) < 1e-7


@settings(max_examples=15)
@given(N=st.integers(1, 6), C=st.integers(2, 5), seed=st.integers(0, 2**16))
def test_softmax_gradient_property_random_shapes(N, C, seed):
    r = rng(seed)
    scores, y = r.normal(0, 3, size=(N, C)), r.integers(0, C, size=N)
    loss, dscores = softmax_cross_entropy(scores, y)
    assert loss > 0.0
    assert scaled(dscores, fd_loss_gradient(softmax_cross_entropy, scores, y)) < 1e-7


# -------------------------------------------------------------- bad input
@pytest.mark.parametrize("loss_fn", [mse, binary_cross_entropy])
def test_mismatched_target_shape_message(loss_fn):
    with pytest.raises(ValueError) as err:
        loss_fn(np.zeros((4, 1)), np.zeros(5))
    assert str(err.value) == "targets of shape (5,) do not fit predictions of shape (4, 1)"


def test_no_silent_broadcasting_of_a_column_target():
    # (N,) - (N, 1) would broadcast to (N, N); only pred (N, 1) with y (N,) is aligned.
    with pytest.raises(ValueError, match=r"targets of shape \(3, 1\) do not fit predictions of shape \(3,\)"):
        mse(np.zeros(3), np.zeros((3, 1)))


def test_softmax_target_shape_message():
    with pytest.raises(ValueError) as err:
        softmax_cross_entropy(np.zeros((4, 3)), np.zeros((4, 1)))
    assert "targets of shape (4, 1) do not fit predictions of shape (4, 3)" in str(err.value)
    assert "one integer label per row, shape (4,)" in str(err.value)
    with pytest.raises(ValueError, match=r"scores must be a 2-D array \(N, C\), got shape \(3,\)"):
        softmax_cross_entropy(np.zeros(3), [0, 1, 2])


@pytest.mark.parametrize(
    "labels, text",
    [
        ([0, 3], "label 3 at row 1 is out of range for 3 classes (0 to 2)"),
        ([-1, 0], "label -1 at row 0 is out of range for 3 classes"),
        ([0.5, 1], "labels must be whole numbers"),
    ],
)
def test_softmax_bad_labels(labels, text):
    with pytest.raises(ValueError) as err:
        softmax_cross_entropy(np.zeros((2, 3)), labels)
    assert text in str(err.value)


@pytest.mark.parametrize(
    "labels, text",
    [
        ([0, 2], "binary cross-entropy needs labels 0 or 1, got 2 at entry 1"),
        ([-1, 1], "needs labels 0 or 1, got -1 at entry 0"),
        ([0.5, 1], "needs labels 0 or 1, got 0.5 at entry 0"),
    ],
)
def test_bce_bad_labels(labels, text):
    with pytest.raises(ValueError) as err:
        binary_cross_entropy(np.zeros((2, 1)), labels)
    assert text in str(err.value)


@pytest.mark.parametrize("loss_fn", [mse, binary_cross_entropy])
def test_nan_targets_are_rejected(loss_fn):
    with pytest.raises(ValueError, match="targets contains NaN or inf at row 1"):
        loss_fn(np.zeros(3), [0.0, np.nan, 1.0])


def test_empty_predictions_are_rejected():
    with pytest.raises(ValueError, match="predictions are empty"):
        mse(np.zeros((0, 1)), np.zeros(0))


def test_non_numeric_targets_are_a_type_error():
    with pytest.raises(TypeError, match="targets must be an array of numbers"):
        mse([1.0, 2.0], ["a", "b"])


@pytest.mark.filterwarnings("error")
def test_non_finite_predictions_give_a_non_finite_loss_not_an_error():
    # A diverging network: the training loop sees the non-finite loss and stops.
    assert math.isnan(mse([np.nan, 1.0], [0.0, 0.0])[0])
    assert math.isinf(mse([np.inf, 1.0], [0.0, 0.0])[0])
    assert math.isnan(softmax_cross_entropy(np.array([[np.nan, 0.0]]), [0])[0])
