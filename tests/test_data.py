"""Toy datasets: shapes, dtypes, balance, determinism per seed, and the geometry each one promises."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lessons import data

# (generator, n-argument name, number of classes) for the classification sets.
CLASSIFIERS = [
    (data.moons, "n", 2),
    (data.circles, "n", 2),
    (data.xor, "n", 2),
]


@pytest.mark.parametrize("name", ["moons", "circles", "xor", "spiral"])
def test_defaults_have_documented_shapes_and_dtypes(name):
    X, y = data.make_dataset(name)
    n = 300 if name == "spiral" else 200
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("gen, _, k", CLASSIFIERS)
@given(n=st.integers(2, 301), noise=st.floats(0.0, 0.5))
@settings(max_examples=25)
def test_classes_are_balanced_for_any_n(gen, _, k, n, noise):
    X, y = gen(n=n, noise=noise, rng=1)
    assert X.shape == (n, 2) and y.shape == (n,)
    counts = np.bincount(y, minlength=k)
    assert counts.sum() == n and len(counts) == k
    assert counts.max() - counts.min() <= 1  # equal when k divides n


@given(n_per_class=st.integers(1, 60), k=st.integers(2, 8))
@settings(max_examples=25)
def test_spiral_has_k_equal_classes(n_per_class, k):
    X, y = data.spiral(n_per_class=n_per_class, k=k, rng=3)
    assert X.shape == (k * n_per_class, 2) and X.dtype == np.float64
    assert y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y, minlength=k), np.full(k, n_per_class))
    # Noise is on the angle only, so every point stays within radius 1.
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0 + 1e-12)


@pytest.mark.parametrize("name", ["moons", "circles", "xor", "spiral", "line"])
def test_same_seed_same_data_different_seed_different_data(name):
    X1, y1 = data.make_dataset(name, rng=7)
    X2, y2 = data.make_dataset(name, rng=7)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = data.make_dataset(name, rng=8)
    assert not np.array_equal(X1, X3)
    # None means seed 0, and a Generator is used as given.
    np.testing.assert_array_equal(data.make_dataset(name, rng=None)[0], data.make_dataset(name, rng=0)[0])
    np.testing.assert_array_equal(data.make_dataset(name, rng=np.random.default_rng(7))[0], X1)


def test_rows_are_shuffled_so_a_slice_holds_both_classes():
    _, y = data.moons(n=200)
    assert set(y[:20]) == {0, 1}
    _, y = data.spiral(n_per_class=50, k=3)
    assert set(y[:30]) == {0, 1, 2}


def test_noise_free_moons_lie_on_their_arcs():
    X, y = data.moons(n=101, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-12)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, atol=1e-12)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_noise_free_circles_have_radius_1_and_factor():
    X, y = data.circles(n=100, noise=0.0, factor=0.3)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0, atol=1e-12)
    np.testing.assert_allclose(r[y == 1], 0.3, atol=1e-12)


def test_noise_free_xor_labels_follow_the_signs():
    X, y = data.xor(n=400, noise=0.0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
    assert np.all(np.abs(X) >= 0.1) and np.all(np.abs(X) <= 1.0)
    # all four quadrants are used, 100 points each
    quadrant = (X[:, 0] > 0).astype(int) * 2 + (X[:, 1] > 0)
    np.testing.assert_array_equal(np.bincount(quadrant), [100, 100, 100, 100])


def test_line_shapes_and_exact_values_without_noise():
    X, y = data.line(n=30, slope=-1.5, intercept=2.0, noise=0.0)
    assert X.shape == (30, 1) and y.shape == (30, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert np.all(np.diff(X[:, 0]) >= 0) and X.min() >= -1.0 and X.max() <= 1.0
    np.testing.assert_allclose(y, -1.5 * X + 2.0, rtol=0, atol=1e-15)


def test_line_noise_has_the_requested_standard_deviation():
    X, y = data.line(n=20000, slope=2.0, intercept=0.5, noise=0.3, rng=5)
    residual = y - (2.0 * X + 0.5)
    assert abs(residual.std() - 0.3) < 0.01  # std error of the std ~ 0.3/sqrt(2*20000) = 0.0015
    assert abs(residual.mean()) < 0.01


def test_train_val_split_partitions_the_rows():
    X = np.arange(20.0).reshape(10, 2)  # row i = (2i, 2i+1), so rows identify themselves
    y = np.arange(10)
    X_tr, X_va, y_tr, y_va = data.train_val_split(X, y, val_fraction=0.3, rng=4)
    assert X_tr.shape == (7, 2) and X_va.shape == (3, 2) and y_tr.shape == (7,) and y_va.shape == (3,)
    np.testing.assert_array_equal(X_tr[:, 0] / 2, y_tr)  # y moved with its row
    np.testing.assert_array_equal(X_va[:, 0] / 2, y_va)
    np.testing.assert_array_equal(np.sort(np.concatenate([y_tr, y_va])), y)
    again = data.train_val_split(X, y, val_fraction=0.3, rng=4)
    np.testing.assert_array_equal(again[3], y_va)


@given(n=st.integers(2, 200), frac=st.floats(0.01, 0.99))
@settings(max_examples=30)
def test_train_val_split_keeps_at_least_one_row_on_each_side(n, frac):
    X, y = np.zeros((n, 3)), np.arange(n)
    X_tr, X_va, y_tr, y_va = data.train_val_split(X, y, val_fraction=frac)
    assert len(X_va) == min(max(round(frac * n), 1), n - 1)
    assert len(X_tr) + len(X_va) == n and len(set(y_tr) | set(y_va)) == n


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: data.make_dataset("blobs"),
            ValueError,
            "unknown dataset 'blobs'; choose one of: circles, line, moons, spiral, xor",
        ),
        (lambda: data.moons(n=0), ValueError, "n must be a positive whole number, got 0"),
        (lambda: data.moons(n=1), ValueError, "n must be at least 2 so that every class appears, got 1"),
        (lambda: data.moons(n=10.5), TypeError, "n must be a whole number"),
        (lambda: data.xor(noise=-0.1), ValueError, "noise must be a number >= 0, got -0.1"),
        (lambda: data.line(noise=float("nan")), ValueError, "noise must be a number >= 0, got nan"),
        (lambda: data.circles(factor=1.5), ValueError, "factor (inner radius / outer radius) must be between 0 and 1"),
        (lambda: data.spiral(k=1), ValueError, "k (the number of classes) must be at least 2, got 1"),
        (lambda: data.line(slope=float("inf")), ValueError, "slope must be a finite number, got inf"),
        (lambda: data.moons(rng="seed"), TypeError, "rng must be None, an int seed or a numpy Generator, got str"),
        (
            lambda: data.train_val_split(np.zeros((4, 2)), np.zeros(5)),
            ValueError,
            "X has 4 rows but y has 5; they need one row per example",
        ),
        (
            lambda: data.train_val_split(np.zeros((4, 2)), np.zeros(4), val_fraction=1.0),
            ValueError,
            "val_fraction must be between 0 and 1, got 1.0",
        ),
        (
            lambda: data.train_val_split(np.zeros((1, 2)), np.zeros(1)),
            ValueError,
            "need at least 2 rows to split into training and validation, got 1",
        ),
    ],
)
def test_bad_arguments_get_one_clear_message(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
