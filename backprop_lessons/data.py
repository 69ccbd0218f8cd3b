"""Small toy datasets, made on the spot: nothing is downloaded.

Used in every notebook (first met in 01; the 1-D ``line`` is the regression
problem of 02 and 05). Each generator

* is deterministic per seed: ``rng`` is None (= seed 0), an int or a numpy Generator;
* returns ``X`` of shape (N, D) and dtype float64;
* returns class labels ``y`` of shape (N,) and dtype int64 with balanced classes
  (equal counts; when N does not divide evenly, counts differ by at most 1),
  rows in random order, so any slice ``X[:k]`` holds every class;
* adds Gaussian noise with standard deviation ``noise`` (0 gives clean data).
"""

import math
import numbers

import numpy as np

from backprop_lessons._checks import as_rng, check_array, check_choice, check_positive_int

__all__ = ["moons", "circles", "xor", "spiral", "line", "train_val_split", "DATASETS", "make_dataset"]


def _check_noise(noise):
    """Return ``noise`` as a float >= 0, or raise one clear error."""
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real):
        raise TypeError(f"noise must be a number >= 0, got {type(noise).__name__} {noise!r:.40}")
    noise = float(noise)
    if not math.isfinite(noise) or noise < 0.0:
        raise ValueError(f"noise must be a number >= 0, got {noise:g}")
    return noise


def _check_n(n, n_classes, name="n"):
    n = check_positive_int(n, name)
    if n < n_classes:
        raise ValueError(f"{name} must be at least {n_classes} so that every class appears, got {n}")
    return n


def _class_sizes(n, n_classes):
    """Split n points into ``n_classes`` counts that differ by at most 1."""
    return [n // n_classes + (1 if c < n % n_classes else 0) for c in range(n_classes)]


def _shuffled(X, y, gen):
    """Rows in random order, so mini-batches and slices mix the classes."""
    order = gen.permutation(len(y))
    return X[order], y[order]


def moons(n=200, noise=0.1, rng=0):
    """Two interleaving half circles (as in scikit-learn's ``make_moons``).

    Returns X (N, 2) float64 and y (N,) int64 in {0, 1}: class 0 is the upper
    moon (centre (0, 0)), class 1 the lower one (centre (1, 0.5)).
    """
    n = _check_n(n, 2)
    noise = _check_noise(noise)
    gen = as_rng(rng)
    n0, n1 = _class_sizes(n, 2)
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])  # (n0, 2)
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])  # (n1, 2)
    X = np.vstack([upper, lower]) + noise * gen.standard_normal((n, 2))
    y = np.repeat(np.arange(2, dtype=np.int64), [n0, n1])
    return _shuffled(X, y, gen)


def circles(n=200, noise=0.05, factor=0.5, rng=0):
    """A small circle inside a large one: class 0 radius 1, class 1 radius ``factor``.

    Returns X (N, 2) float64 and y (N,) int64 in {0, 1}. ``factor`` is in (0, 1).
    """
    n = _check_n(n, 2)
    noise = _check_noise(noise)
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not 0.0 < factor < 1.0:
        raise ValueError(f"factor (inner radius / outer radius) must be between 0 and 1, got {factor!r:.40}")
    gen = as_rng(rng)
    n0, n1 = _class_sizes(n, 2)
    t0 = np.linspace(0.0, 2 * np.pi, n0, endpoint=False)  # endpoint=False: 0 and 2*pi are the same point
    t1 = np.linspace(0.0, 2 * np.pi, n1, endpoint=False)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])  # (n0, 2)
    inner = factor * np.column_stack([np.cos(t1), np.sin(t1)])  # (n1, 2)
    X = np.vstack([outer, inner]) + noise * gen.standard_normal((n, 2))
    y = np.repeat(np.arange(2, dtype=np.int64), [n0, n1])
    return _shuffled(X, y, gen)


def xor(n=200, noise=0.1, rng=0):
    """The XOR problem: label 1 where exactly one coordinate is negative.

    Points fill the four quadrants of the square [-1, 1]^2, keeping 0.1 away
    from the axes so that ``noise=0`` is cleanly separable; class 0 is
    quadrants (+, +) and (-, -), class 1 is (+, -) and (-, +).
    Returns X (N, 2) float64 and y (N,) int64 in {0, 1}.
    """
    n = _check_n(n, 2)
    noise = _check_noise(noise)
    gen = as_rng(rng)
    y = np.repeat(np.arange(2, dtype=np.int64), _class_sizes(n, 2))  # (N,)
    # Alternate each class between its two quadrants; the sign of x1 then
    # follows from the label: x0 * x1 < 0 exactly for class 1.
    sign0 = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)  # (N,)
    sign1 = np.where(y == 1, -sign0, sign0)  # (N,)
    magnitude = gen.uniform(0.1, 1.0, size=(n, 2))  # (N, 2)
    X = magnitude * np.column_stack([sign0, sign1]) + noise * gen.standard_normal((n, 2))
    return _shuffled(X, y, gen)


def spiral(n_per_class=100, k=3, noise=0.2, rng=0):
    """``k`` interleaved spiral arms, one per class (the CS231n spiral).

    Arm j runs from the centre (radius 0) to radius 1 while its angle turns by
    4 radians, starting at j * 2*pi/k so the arms are evenly spaced. As in
    CS231n, ``noise`` is added to the *angle* (radians), so arms get thicker
    further out. Returns X (k * n_per_class, 2) float64 and y (k * n_per_class,)
    int64 in [0, k).
    """
    n_per_class = check_positive_int(n_per_class, "n_per_class")
    k = check_positive_int(k, "k")
    if k < 2:
        raise ValueError(f"k (the number of classes) must be at least 2, got {k}")
    noise = _check_noise(noise)
    gen = as_rng(rng)
    radius = np.tile(np.linspace(0.0, 1.0, n_per_class), k)  # (N,)
    y = np.repeat(np.arange(k, dtype=np.int64), n_per_class)  # (N,)
    angle = (
        np.tile(np.linspace(0.0, 4.0, n_per_class), k)
        + y * (2 * np.pi / k)
        + noise * gen.standard_normal(k * n_per_class)
    )
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])  # (N, 2)
    return _shuffled(X, y, gen)


def line(n=50, slope=2.0, intercept=0.5, noise=0.1, rng=0):
    """Noisy points on a line, for 1-D regression: y = slope * x + intercept + noise.

    x is uniform in [-1, 1] and sorted, so ``plot(X, model(X))`` draws a line.
    Returns X (N, 1) and y (N, 1), both float64 (column vectors, the shapes a
    one-output model predicts).
    """
    n = check_positive_int(n, "n")
    for name, value in (("slope", slope), ("intercept", intercept)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r:.40}")
    noise = _check_noise(noise)
    gen = as_rng(rng)
    X = np.sort(gen.uniform(-1.0, 1.0, size=(n, 1)), axis=0)  # (N, 1)
    y = slope * X + intercept + noise * gen.standard_normal((n, 1))  # (N, 1)
    return X, y


def train_val_split(X, y, val_fraction=0.3, rng=0):
    """Split rows at random into a training and a validation part.

    X (N, ...) and y (N, ...) are shuffled together; the validation part gets
    round(val_fraction * N) rows (at least 1, and at least 1 row stays for
    training). Not stratified: with few points, class counts may differ a little.
    Returns X_train, X_val, y_train, y_val (copies, scikit-learn's order).
    """
    X = check_array(X, "X", finite=False)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError("X and y must be arrays with one row per example")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}; they need one row per example")
    if len(X) < 2:
        raise ValueError(f"need at least 2 rows to split into training and validation, got {len(X)}")
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, numbers.Real) or not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction!r:.40}")
    n = len(X)
    n_val = min(max(round(val_fraction * n), 1), n - 1)
    order = as_rng(rng).permutation(n)
    val, train = order[:n_val], order[n_val:]
    return X[train], X[val], y[train], y[val]


DATASETS = {"moons": moons, "circles": circles, "xor": xor, "spiral": spiral, "line": line}


def make_dataset(name, **kwargs):
    """Call the generator called ``name`` (a key of DATASETS) with ``kwargs``.

    >>> X, y = make_dataset("spiral", n_per_class=50, k=4)
    >>> X.shape, y.shape
    ((200, 2), (200,))
    """
    check_choice(name, DATASETS, "dataset")
    return DATASETS[name](**kwargs)
