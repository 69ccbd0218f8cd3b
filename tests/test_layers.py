"""Layers: gradients against finite differences, init statistics, containers, and bad input.

Gradient tolerances. Finite differences with h = 1e-5 in float64 are accurate to
an absolute ~1e-11 here, so:
* fixed, well-conditioned cases: elementwise relative error < 1e-7 (BatchNorm 1e-6);
* property tests on random shapes: an entry that happens to be ~1e-6 of the
  gradient's largest one has an elementwise error ~1e-5 without anything being
  wrong, so they compare against the gradient's scale, max|a - b| / max|a| < 1e-7
  (1e-6 with BatchNorm), and keep the elementwise check_layer errors below 1e-4.
A wrong backward pass gives errors of 1e-2 or more either way.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lessons.gradcheck import check_layer
from backprop_lessons.layers import (
    BatchNorm1d,
    Dropout,
    Identity,
    LeakyReLU,
    Linear,
    ReLU,
    Residual,
    Sequential,
    Sigmoid,
    Tanh,
    activation_layer,
    iter_layers,
    linear_layers,
    mlp,
)
from backprop_lessons.training import predict, train

H = 1e-5


# ---------------------------------------------------------------- helpers
def fd_gradients(layer, X, dout, h=H):
    """Independent finite-difference loop: d/d(entry) of sum(layer.forward(X) * dout)
    for every entry of X and of every parameter."""

    def loss():
        return np.sum(layer.forward(X) * dout)

    def grad_of(arr):
        grad = np.zeros_like(arr)
        flat, gflat = arr.reshape(-1), grad.reshape(-1)  # views: arrays are contiguous
        assert np.shares_memory(flat, arr)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + h
            plus = loss()
            flat[i] = old - h
            minus = loss()
            flat[i] = old
            gflat[i] = (plus - minus) / (2 * h)
        return grad

    grads = {"X": grad_of(X)}
    for name, p in layer.params.items():
        grads[name] = grad_of(p)
    return grads


def backprop_gradients(layer, X, dout):
    layer.forward(X)
    grads = {"X": layer.backward(dout)}
    grads.update({name: g.copy() for name, g in layer.grads.items()})
    return grads


def elementwise_error(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


def scaled_error(a, b):
    """Largest difference relative to the array's largest entry, or to 0.01 if every entry is smaller.

    Central differences carry round-off of ~eps·|loss|/h ≈ 1e-11 whatever the gradient's size, so a
    tiny gradient (a bias at 3.4e-4: hypothesis found one) cannot be matched to 1e-7 of itself; a
    wrong backward pass is off by a fraction of the gradient, far above 1e-9.
    """
    return np.max(np.abs(a - b)) / max(np.abs(a).max(), np.abs(b).max(), 1e-2)


def richardson_gradients(layer, X, dout, h=H):
    """Central differences at h and h/2 combined so that their h² errors cancel (error ~h⁴).

    Needed where the loss curves strongly: batchnorm over a few rows with a small batch variance
    has third derivatives so large that plain central differences at h = 1e-5 are off by ~5e-6
    (relative) while backprop is exact (seed 809 of the batchnorm + residual property test).
    """
    coarse, fine = fd_gradients(layer, X, dout, h), fd_gradients(layer, X, dout, h / 2)
    return {name: (4 * fine[name] - coarse[name]) / 3 for name in coarse}


def compare(layer, X, seed=0, fd=fd_gradients):
    """(backprop grads, finite-difference grads) for a random upstream gradient."""
    X = np.array(X, dtype=np.float64)
    out = layer.forward(X)
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    return backprop_gradients(layer, X, dout), fd(layer, X, dout)


def assert_gradients_match(layer, X, tol, seed=0, metric=elementwise_error, skip=(), fd=fd_gradients):
    analytic, numeric = compare(layer, X, seed, fd)
    assert set(analytic) == {"X"} | set(layer.params)
    for name in analytic:
        if name not in skip:
            assert metric(analytic[name], numeric[name]) < tol, name
    return analytic, numeric


def biases_before_batchnorm(model, prefix=""):
    """Keys of the biases of Linear layers directly followed by BatchNorm1d.

    Batchnorm subtracts the batch mean, so such a bias cannot change the loss:
    its true gradient is 0, and a relative error between two ~1e-11 numbers is noise.
    """
    keys = []
    layers = model.layers
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear) and i + 1 < len(layers) and isinstance(layers[i + 1], BatchNorm1d):
            keys.append(f"{prefix}{i}.b")
        inner = layer.block if isinstance(layer, Residual) else layer
        if isinstance(inner, Sequential):
            keys += biases_before_batchnorm(inner, f"{prefix}{i}.")
    return keys


def random_X(N, D, seed=1, scale=1.0, shift=0.0):
    # Not default_rng(seed): check_layer(rng=seed) draws dout from that stream, and
    # dout equal to X would hide BatchNorm's gradient (dX ~ 0).
    return shift + scale * np.random.default_rng((seed, 7)).standard_normal((N, D))


def away_from_zero(X, gap=0.1):
    """Keep entries off the kink of relu / leaky relu."""
    return np.sign(X) * (np.abs(X) + gap)


# ------------------------------------------------- gradients: fixed cases
FIXED_CASES = {
    "linear": (lambda: Linear(3, 4, rng=1), random_X(5, 3), 1e-7),
    "sigmoid": (Sigmoid, random_X(4, 3, scale=2.0), 1e-7),
    "tanh": (Tanh, random_X(4, 3), 1e-7),
    "relu": (ReLU, away_from_zero(random_X(4, 3)), 1e-7),
    "leaky_relu": (lambda: LeakyReLU(0.1), away_from_zero(random_X(4, 3)), 1e-7),
    "identity": (Identity, random_X(4, 3), 1e-7),
    "batchnorm": (lambda: BatchNorm1d(4), random_X(6, 4, scale=3.0, shift=1.0), 1e-6),
    "residual": (lambda: Residual(Sequential(Linear(4, 4, init="xavier", rng=2), Tanh())), random_X(5, 4), 1e-7),
    "sequential": (
        lambda: Sequential(
            Linear(3, 5, rng=3),
            BatchNorm1d(5),
            LeakyReLU(0.05),
            Dropout(0.3, rng=4).freeze_mask(),
            Residual(Sequential(Linear(5, 5, init="xavier", rng=5), Sigmoid())),
            Linear(5, 2, rng=6),
        ),
        random_X(8, 3),
        1e-6,
    ),
    "mlp_tanh": (lambda: mlp([3, 6, 6, 2], rng=7), random_X(5, 3), 1e-7),
    "mlp_sigmoid": (lambda: mlp([2, 4, 4, 1], activation="sigmoid", rng=8), random_X(5, 2), 1e-7),
}


@pytest.mark.parametrize("case", sorted(FIXED_CASES))
def test_gradients_match_finite_differences(case):
    make, X, tol = FIXED_CASES[case]
    layer = make()
    assert layer.training
    skip = biases_before_batchnorm(layer) if isinstance(layer, Sequential) else []
    errors = check_layer(layer, X, rng=0)
    assert set(errors) == {"X"} | set(layer.params)
    assert max(e for k, e in errors.items() if k not in skip) < tol, errors
    analytic, numeric = assert_gradients_match(layer, X, tol, skip=skip)
    assert_zero_gradients(analytic, numeric, skip)


def assert_zero_gradients(analytic, numeric, keys):
    for key in keys:  # gradient exactly 0 in theory; both sides tiny in practice
        assert np.abs(analytic[key]).max() < 1e-12
        assert np.abs(numeric[key]).max() < 1e-8


def test_deep_sigmoid_mlp_gradients_against_their_scale():
    # Sigmoid slopes are <= 0.25, so the first layers' gradients are ~1e-3 of the
    # last layer's and some entries are ~1e-6: with an absolute accuracy of ~1e-11,
    # their elementwise relative error is ~1e-5 although nothing is wrong.
    model = mlp([2, 4, 4, 4, 4, 1], activation="sigmoid", rng=8)
    analytic, _ = assert_gradients_match(model, random_X(5, 2), 1e-7, metric=scaled_error)
    assert np.abs(analytic["0.W"]).max() < 0.05 * np.abs(analytic["8.W"]).max()  # vanishing indeed


def test_batchnorm_with_non_trivial_gamma_beta():
    bn = BatchNorm1d(3)
    bn.params["gamma"][:] = [0.5, -2.0, 3.0]
    bn.params["beta"][:] = [1.0, 0.0, -1.0]
    X = random_X(7, 3, seed=4, scale=2.0, shift=-1.0)
    assert max(check_layer(bn, X).values()) < 1e-6
    assert_gradients_match(bn, X, 1e-6)


def test_batchnorm_gradient_in_eval_mode():
    bn = BatchNorm1d(3)
    for seed in range(5):  # give it running statistics
        bn.forward(random_X(10, 3, seed=seed, scale=2.0, shift=1.0))
    bn.params["gamma"][:] = [1.5, 0.5, -1.0]
    bn.eval()
    X = random_X(2, 3, seed=9)
    assert max(check_layer(bn, X).values()) < 1e-7
    analytic, _ = assert_gradients_match(bn, X, 1e-7)
    # running statistics are constants: dX is just dout * gamma / sqrt(running_var + eps)
    dout = np.random.default_rng(0).standard_normal((2, 3))
    expected = dout * bn.params["gamma"] / np.sqrt(bn.running_var + bn.eps)
    np.testing.assert_allclose(analytic["X"], expected, rtol=1e-14)


def test_dropout_gradient_with_a_frozen_mask():
    drop = Dropout(0.5, rng=3).freeze_mask()
    X = random_X(6, 4)
    out1, out2 = drop.forward(X), drop.forward(X)
    np.testing.assert_array_equal(out1, out2)  # the same mask both times
    assert np.any(out1 == 0.0) and np.any(out1 != 0.0)
    assert_gradients_match(drop, X, 1e-7)
    assert max(check_layer(drop, X).values()) < 1e-7


def test_dropout_without_a_frozen_mask_fails_the_check():
    # Why freezing exists: a fresh mask per forward pass makes the loss jump.
    drop = Dropout(0.5, rng=3)
    analytic, numeric = compare(drop, random_X(6, 4))
    assert elementwise_error(analytic["X"], numeric["X"]) > 0.1


def test_mlp_with_batchnorm_and_residual():
    model = mlp([3, 6, 6, 6, 2], rng=11, batchnorm=True, residual=True)
    assert isinstance(model[3], Residual) and isinstance(model[4], Residual)
    X = random_X(8, 3)
    skip = biases_before_batchnorm(model)
    assert skip == ["0.b", "3.0.b", "4.0.b"]
    analytic, numeric = assert_gradients_match(model, X, 1e-6, skip=skip)
    errors = check_layer(model, X)
    assert max(e for k, e in errors.items() if k not in skip) < 1e-6, errors
    assert_zero_gradients(analytic, numeric, skip)


# --------------------------------------------- gradients: property tests
small = st.integers(1, 6)
seeds = st.integers(0, 2**16)


def assert_property(layer, X, scaled_tol=1e-7, check_tol=1e-4, seed=0, skip=(), fd=fd_gradients):
    analytic, numeric = assert_gradients_match(layer, X, scaled_tol, seed=seed, metric=scaled_error, skip=skip, fd=fd)
    assert_zero_gradients(analytic, numeric, skip)
    # check_layer reports the elementwise relative error. For an entry of ~1e-8 (a deep saturated
    # tanh net: hypothesis found one) the round-off of any central difference (~1e-11) is already
    # 1e-3 of it: there check_layer must say what the independent differences above say.
    errors = check_layer(layer, X, rng=seed)
    for name, error in errors.items():
        if name not in skip:
            own = elementwise_error(analytic[name], numeric[name])
            assert error < max(check_tol, 10 * own), (name, error, own, errors)


@settings(max_examples=15)
@given(N=small, D=small, H_=small, seed=seeds)
def test_linear_gradients_property(N, D, H_, seed):
    assert_property(Linear(D, H_, rng=seed), random_X(N, D, seed), seed=seed)


@settings(max_examples=15)
@given(name=st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "identity"]), N=small, D=small, seed=seeds)
def test_activation_layer_gradients_property(name, N, D, seed):
    assert_property(activation_layer(name), away_from_zero(random_X(N, D, seed)), seed=seed)


@settings(max_examples=15)
@given(N=st.integers(4, 8), D=small, seed=seeds)
def test_batchnorm_gradients_property(N, D, seed):
    bn = BatchNorm1d(D)
    bn.params["gamma"][:] = np.random.default_rng(seed).uniform(0.5, 2.0, D)
    assert_property(bn, random_X(N, D, seed, scale=2.0, shift=0.5), scaled_tol=1e-6, seed=seed)


@settings(max_examples=10)
@given(N=small, D=small, p=st.floats(0.0, 0.9), seed=seeds)
def test_dropout_gradients_property(N, D, p, seed):
    assert_property(Dropout(p, rng=seed).freeze_mask(), random_X(N, D, seed), seed=seed)


@settings(max_examples=10)
@given(N=small, D=small, seed=seeds)
def test_residual_gradients_property(N, D, seed):
    block = Sequential(Linear(D, D, init="xavier", rng=seed), Tanh())
    assert_property(Residual(block), random_X(N, D, seed), seed=seed)


@settings(max_examples=15)
@given(N=small, D=small, width=st.integers(1, 5), depth=st.integers(1, 4), seed=seeds)
def test_mlp_gradients_property(N, D, width, depth, seed):
    model = mlp([D] + [width] * depth + [2], rng=seed)
    assert_property(model, random_X(N, D, seed), seed=seed)


@settings(max_examples=10)
@given(N=st.integers(6, 10), D=st.integers(2, 4), width=st.integers(2, 5), depth=st.integers(1, 3), seed=seeds)
def test_mlp_batchnorm_residual_gradients_property(N, D, width, depth, seed):
    model = mlp([D] + [width] * depth + [2], rng=seed, batchnorm=True, residual=True)
    skip = biases_before_batchnorm(model)
    assert len(skip) == depth
    assert_property(model, random_X(N, D, seed), scaled_tol=1e-6, seed=seed, skip=skip, fd=richardson_gradients)


def test_batchnorm_with_a_small_batch_variance_needs_richardson_not_a_looser_tolerance():
    """The case hypothesis found: backprop is exact; plain central differences are not."""
    model = mlp([2, 4, 2], rng=809, batchnorm=True, residual=True)
    X = random_X(6, 2, 809)
    dout = np.random.default_rng(809).standard_normal(model.forward(X).shape)
    analytic = backprop_gradients(model, X, dout)["0.W"]
    assert scaled_error(analytic, fd_gradients(model, X, dout)["0.W"]) > 1e-6  # h² error of plain differences
    assert scaled_error(analytic, richardson_gradients(model, X, dout)["0.W"]) < 1e-9


# ------------------------------------------------------------ Linear
def test_linear_forward_and_backward_by_hand():
    lin = Linear(2, 1)
    lin.params["W"][:] = [[2.0], [-1.0]]
    lin.params["b"][:] = [0.5]
    X = np.array([[1.0, 3.0], [0.0, 1.0]])
    np.testing.assert_array_equal(lin.forward(X), [[-0.5], [-0.5]])  # 2*1 - 3 + 0.5, 0 - 1 + 0.5
    dX = lin.backward(np.array([[1.0], [2.0]]))
    np.testing.assert_array_equal(lin.grads["W"], [[1.0], [5.0]])  # X.T @ dout
    np.testing.assert_array_equal(lin.grads["b"], [3.0])
    np.testing.assert_array_equal(dX, [[2.0, -1.0], [4.0, -2.0]])  # dout @ W.T


def test_linear_params_and_shapes():
    lin = Linear(3, 5, rng=0)
    assert set(lin.params) == set(lin.grads) == {"W", "b"}
    assert lin.W.shape == (3, 5) and lin.b.shape == (5,)
    assert lin.W is lin.params["W"]
    np.testing.assert_array_equal(lin.b, np.zeros(5))
    out = lin.forward(np.ones((4, 3)))
    assert out.shape == (4, 5) and out.dtype == np.float64
    assert lin.backward(np.ones((4, 5))).shape == (4, 3)


def test_gradients_are_overwritten_in_place():
    lin = Linear(2, 2, rng=0)
    grad_W = lin.grads["W"]
    X = np.ones((3, 2))
    for _ in range(2):  # not accumulated across calls
        lin.forward(X)
        lin.backward(np.ones((3, 2)))
    assert lin.grads["W"] is grad_W
    np.testing.assert_array_equal(grad_W, np.full((2, 2), 3.0))


@pytest.mark.parametrize(
    "init, D, H_, expected_std",
    [("he", 1000, 800, np.sqrt(2 / 1000)), ("xavier", 500, 2000, np.sqrt(2 / 2500)), ("normal", 1000, 1000, 1.0)],
)
def test_init_statistics(init, D, H_, expected_std):
    W = Linear(D, H_, init=init, rng=0).W
    assert W.std() == pytest.approx(expected_std, rel=0.01)
    assert abs(W.mean()) < 4 * expected_std / np.sqrt(W.size)


def test_normal_init_uses_std():
    assert Linear(800, 1000, init="normal", std=0.05, rng=1).W.std() == pytest.approx(0.05, rel=0.01)


def test_same_seed_same_weights():
    a, b, c = Linear(4, 3, rng=7), Linear(4, 3, rng=7), Linear(4, 3, rng=8)
    np.testing.assert_array_equal(a.W, b.W)
    assert not np.allclose(a.W, c.W)
    gen = np.random.default_rng(7)
    first, second = Linear(4, 3, rng=gen), Linear(4, 3, rng=gen)  # one generator: independent draws
    np.testing.assert_array_equal(first.W, a.W)
    assert not np.allclose(first.W, second.W)


@pytest.mark.parametrize(
    "D, H_, exc, text",
    [
        (0, 3, ValueError, "in_features must be a positive whole number, got 0"),
        (2, -1, ValueError, "out_features must be a positive whole number, got -1"),
        (2.5, 3, TypeError, "in_features must be a whole number"),
    ],
)
def test_linear_rejects_bad_sizes(D, H_, exc, text):
    with pytest.raises(exc) as err:
        Linear(D, H_)
    assert text in str(err.value)


def test_unknown_init_lists_the_valid_names():
    with pytest.raises(ValueError) as err:
        Linear(2, 3, init="glorot")
    assert "unknown init 'glorot'; choose one of: he, normal, xavier" in str(err.value)


def test_std_errors():
    with pytest.raises(ValueError, match="std must be a positive number, got -0.1"):
        Linear(2, 3, init="normal", std=-0.1)
    with pytest.raises(ValueError, match="only used with init='normal'"):
        Linear(2, 3, init="he", std=0.1)


def test_wrong_feature_count_message():
    with pytest.raises(ValueError) as err:
        Linear(2, 4).forward(np.ones((5, 3)))
    assert str(err.value) == "Linear expected 2 features, got 3"


def test_wrong_feature_count_inside_sequential():
    model = Sequential(Linear(2, 3), Tanh(), Linear(4, 1))
    with pytest.raises(ValueError, match="Linear expected 4 features, got 3"):
        model.forward(np.ones((5, 2)))


@pytest.mark.parametrize("layer", [Linear(2, 2), Tanh(), BatchNorm1d(2), Dropout(0.5), mlp([2, 3, 1])])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_input_has_a_clear_message_at_the_public_doors(layer, bad):
    # Layers hold only the maths; predict, train and check_layer check the data once.
    X = np.ones((4, 2))
    X[1, 0] = bad
    for door in (
        lambda: predict(layer, X),
        lambda: check_layer(layer, X),
        lambda: train(layer, X, np.zeros((4, 2)), epochs=1),
    ):
        with pytest.raises(ValueError) as err:
            door()
        assert "X contains NaN or inf at row 1" in str(err.value)


def test_one_dimensional_input_says_how_to_fix_it():
    with pytest.raises(ValueError) as err:
        Linear(3, 2).forward(np.ones(3))
    assert "shape (N, D)" in str(err.value) and "X.reshape(1, -1)" in str(err.value)


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="must be an array of numbers"):
        predict(Linear(2, 2), [["a", "b"]])


# -------------------------------------------------------- activations
def test_activation_layer_factory():
    for name, cls in [
        ("sigmoid", Sigmoid),
        ("tanh", Tanh),
        ("relu", ReLU),
        ("leaky_relu", LeakyReLU),
        ("identity", Identity),
    ]:
        layer = activation_layer(name)
        assert type(layer) is cls and layer.params == {} and layer.grads == {}
    with pytest.raises(ValueError) as err:
        activation_layer("swish")
    assert "unknown activation 'swish'; choose one of: identity, leaky_relu, relu, sigmoid, tanh" in str(err.value)


def test_activation_layers_by_hand():
    X = np.array([[-2.0, 0.5]])
    np.testing.assert_array_equal(ReLU().forward(X), [[0.0, 0.5]])
    np.testing.assert_allclose(LeakyReLU(0.1).forward(X), [[-0.2, 0.5]], rtol=1e-15)
    relu = ReLU()
    relu.forward(X)
    np.testing.assert_array_equal(relu.backward(np.array([[3.0, 3.0]])), [[0.0, 3.0]])
    tanh = Tanh()
    tanh.forward(np.zeros((1, 2)))
    np.testing.assert_array_equal(tanh.backward(np.array([[2.0, -1.0]])), [[2.0, -1.0]])  # tanh'(0) = 1


def test_leaky_relu_rejects_bad_alpha():
    with pytest.raises(ValueError, match="alpha must be a positive number"):
        LeakyReLU(-0.1)


# ---------------------------------------------------------- BatchNorm1d
def test_batchnorm_normalizes_in_training_mode():
    X = random_X(50, 3, scale=4.0, shift=7.0)
    out = BatchNorm1d(3).forward(X)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-12)
    # std is sqrt(var / (var + eps)), about 1 - eps / (2 var): within 1e-5 of 1
    np.testing.assert_allclose(out.std(axis=0), 1.0, atol=1e-5)


def test_batchnorm_running_statistics_and_eval():
    bn = BatchNorm1d(2, momentum=0.9, eps=1e-5)
    X = np.array([[1.0, 10.0], [3.0, 14.0]])  # means (2, 12), biased variances (1, 4)
    bn.forward(X)
    np.testing.assert_allclose(bn.running_mean, [0.2, 1.2], rtol=1e-15)  # 0.9 * 0 + 0.1 * mean
    np.testing.assert_allclose(bn.running_var, [1.0, 1.3], rtol=1e-15)  # 0.9 * 1 + 0.1 * var
    bn.eval()
    x = np.array([[2.0, 5.0]])  # one example works in eval mode
    expected = (x - bn.running_mean) / np.sqrt(bn.running_var + 1e-5)
    np.testing.assert_allclose(bn.forward(x), expected, rtol=1e-14)
    before = bn.running_mean.copy()
    bn.forward(X)
    np.testing.assert_array_equal(bn.running_mean, before)  # eval does not update


@pytest.mark.filterwarnings("error")
def test_batchnorm_constant_feature_stays_finite():
    X = np.column_stack([np.full(5, 3.0), np.arange(5.0)])
    bn = BatchNorm1d(2)
    out = bn.forward(X)
    np.testing.assert_array_equal(out[:, 0], 0.0)  # var 0: eps avoids 0 / 0
    assert np.all(np.isfinite(bn.backward(np.ones((5, 2)))))


def test_batchnorm_errors():
    with pytest.raises(ValueError, match="at least 2 examples per batch, got N=1"):
        BatchNorm1d(2).forward(np.ones((1, 2)))
    with pytest.raises(ValueError, match="BatchNorm1d expected 3 features, got 2"):
        BatchNorm1d(3).forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match="num_features must be a positive whole number, got 0"):
        BatchNorm1d(0)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\], got 1.5"):
        BatchNorm1d(2, momentum=1.5)
    with pytest.raises(ValueError, match="eps must be a positive number, got 0"):
        BatchNorm1d(2, eps=0.0)


# -------------------------------------------------------------- Dropout
def test_dropout_statistics_in_training_mode():
    p = 0.3
    drop = Dropout(p, rng=0)
    out = drop.forward(np.ones((400, 250)))  # 100,000 entries
    dropped = np.mean(out == 0.0)
    assert dropped == pytest.approx(p, abs=0.006)  # binomial sd is 0.0015
    np.testing.assert_allclose(out[out != 0.0], 1 / (1 - p), rtol=1e-15)  # inverted: survivors scaled up
    assert out.mean() == pytest.approx(1.0, abs=0.01)  # expectation kept


def test_dropout_backward_uses_the_same_mask():
    drop = Dropout(0.5, rng=1)
    out = drop.forward(np.ones((20, 10)))
    dX = drop.backward(np.ones((20, 10)))
    np.testing.assert_array_equal(dX, out)  # X = dout = 1: both equal the mask


def test_dropout_is_identity_in_eval_mode():
    drop = Dropout(0.9, rng=1).eval()
    X = random_X(5, 4)
    np.testing.assert_array_equal(drop.forward(X), X)
    np.testing.assert_array_equal(drop.backward(2 * X), 2 * X)


def test_dropout_masks_change_unless_frozen_and_follow_the_seed():
    X = np.ones((10, 10))
    a, b = Dropout(0.5, rng=5), Dropout(0.5, rng=5)
    first = a.forward(X)
    np.testing.assert_array_equal(first, b.forward(X))  # same seed, same mask
    assert not np.array_equal(first, a.forward(X))  # a new mask every pass
    a.freeze_mask()
    frozen = a.forward(X)
    np.testing.assert_array_equal(frozen, a.forward(X))
    a.unfreeze_mask()
    assert not np.array_equal(frozen, a.forward(X))


def test_dropout_errors():
    for p in [1.0, -0.1, float("nan")]:
        with pytest.raises(ValueError, match=r"dropout probability p must be in \[0, 1\), got"):
            Dropout(p)
    with pytest.raises(TypeError, match=r"dropout probability p must be a number in \[0, 1\), got str '0.5'"):
        Dropout("0.5")
    drop = Dropout(0.5).freeze_mask()
    drop.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match="frozen dropout mask has shape \\(4, 3\\) but the input has shape \\(5, 3\\)"):
        drop.forward(np.ones((5, 3)))


# ------------------------------------------------------------- Residual
def test_residual_adds_the_input():
    block = Sequential(Linear(3, 3, rng=0), Tanh())
    res = Residual(block)
    X = random_X(4, 3)
    np.testing.assert_allclose(res.forward(X), X + block.forward(X), rtol=1e-15)
    assert res.params["0.W"] is block.params["0.W"]
    assert res.grads["0.W"] is block.grads["0.W"]


def test_residual_passes_the_gradient_through_the_skip():
    block = Linear(3, 3, init="normal", std=1e-3, rng=0)
    res = Residual(block)
    X = random_X(4, 3)
    res.forward(X)
    dout = random_X(4, 3, seed=2)
    np.testing.assert_allclose(res.backward(dout), dout + dout @ block.W.T, rtol=1e-14)


def test_residual_needs_equal_widths():
    with pytest.raises(ValueError) as err:
        Residual(Linear(3, 4)).forward(np.ones((2, 3)))
    assert "block that keeps the shape: input (2, 3), block output (2, 4)" in str(err.value)
    with pytest.raises(TypeError, match="Residual takes layers"):
        Residual(3)


# ----------------------------------------------------------- Sequential
def test_mlp_structure_and_keys():
    model = mlp([2, 16, 16, 1])
    assert [type(layer) for layer in model] == [Linear, Tanh, Linear, Tanh, Linear]
    assert [(layer.W.shape) for layer in linear_layers(model)] == [(2, 16), (16, 16), (16, 1)]
    assert list(model.params) == ["0.W", "0.b", "2.W", "2.b", "4.W", "4.b"]
    assert list(model.grads) == list(model.params)
    assert model.forward(np.zeros((7, 2))).shape == (7, 1)


def test_mlp_options_structure():
    model = mlp([2, 8, 8, 3], activation="relu", batchnorm=True, residual=True, dropout=0.2)
    assert [type(layer) for layer in model] == [Linear, BatchNorm1d, ReLU, Dropout, Residual, Linear]
    assert [type(layer) for layer in model[4].block] == [Linear, BatchNorm1d, ReLU, Dropout]
    assert "4.0.W" in model.params and "4.1.gamma" in model.params and "1.beta" in model.params
    assert [type(layer) for layer in iter_layers(model)] == [
        Linear,
        BatchNorm1d,
        ReLU,
        Dropout,
        Linear,
        BatchNorm1d,
        ReLU,
        Dropout,
        Linear,
    ]
    assert len(linear_layers(model)) == 3 and linear_layers(model)[1] is model[4].block[0]


def test_params_are_the_layers_arrays():
    model = mlp([2, 4, 1], rng=0)
    params, grads = model.params, model.grads
    assert params["0.W"] is model[0].W and params["2.b"] is model[2].b
    params["0.W"] -= 1.0  # an optimizer's in-place update reaches the layer
    np.testing.assert_array_equal(model[0].W, params["0.W"])
    model.forward(np.ones((3, 2)))
    model.backward(np.ones((3, 1)))
    np.testing.assert_array_equal(grads["2.W"], model[2].grads["W"])  # dict taken before backward
    assert np.any(grads["2.W"] != 0.0)


def test_mlp_same_seed_same_weights_whatever_the_options():
    base = mlp([3, 5, 5, 2], rng=42)
    twin = mlp([3, 5, 5, 2], rng=42, batchnorm=True, residual=True, dropout=0.3)
    other = mlp([3, 5, 5, 2], rng=43)
    for a, b, c in zip(linear_layers(base), linear_layers(twin), linear_layers(other)):
        np.testing.assert_array_equal(a.W, b.W)
        assert not np.allclose(a.W, c.W)
    # the layers get independent draws, not copies of one draw
    assert not np.allclose(linear_layers(base)[1].W[:3], linear_layers(base)[0].W)


def test_train_and_eval_propagate():
    model = mlp([2, 4, 4, 1], batchnorm=True, residual=True, dropout=0.5)
    assert model.eval() is model
    assert all(not layer.training for layer in iter_layers(model)) and not model[3].training
    model.train()
    assert all(layer.training for layer in iter_layers(model)) and model.training


def test_eval_mode_is_deterministic():
    model = mlp([2, 8, 1], dropout=0.5, batchnorm=True, rng=0)
    X = random_X(6, 2)
    model.forward(X)
    model.eval()
    np.testing.assert_array_equal(model.forward(X), model.forward(X))


def test_sequential_container_protocol():
    layers = [Linear(2, 3), Tanh(), Linear(3, 1)]
    model = Sequential(*layers)
    assert len(model) == 3 and model[1] is layers[1] and list(model) == layers
    head = model[:2]
    assert isinstance(head, Sequential) and head.layers == layers[:2]
    assert head.forward(np.ones((2, 2))).shape == (2, 3)
    with pytest.raises(TypeError, match="Sequential takes layers .* got int"):
        Sequential(Linear(2, 3), 3)


def test_mlp_errors():
    with pytest.raises(ValueError, match="sizes needs at least 2 entries"):
        mlp([3])
    with pytest.raises(ValueError, match=r"layer size sizes\[1\] must be a positive whole number, got 0"):
        mlp([2, 0, 1])
    with pytest.raises(ValueError) as err:
        mlp([2, 3, 1], activation="softmax")
    assert "unknown activation 'softmax'; choose one of: identity, leaky_relu, relu, sigmoid, tanh" in str(err.value)
    with pytest.raises(ValueError, match="unknown init 'uniform'"):
        mlp([2, 3, 1], init="uniform")
    with pytest.raises(ValueError, match="dropout probability p"):
        mlp([2, 3, 1], dropout=1.0)


def test_linear_layers_of_a_single_layer():
    lin = Linear(2, 2)
    assert linear_layers(lin) == [lin] and linear_layers(Tanh()) == []


def test_repr_is_short_and_deterministic():
    assert repr(Linear(2, 16, init="xavier")) == "Linear(2, 16, init='xavier')"
    text = repr(mlp([2, 4, 4, 1], residual=True))
    assert text.splitlines()[0] == "Sequential(" and "(2): Residual(" in text and "Tanh()" in text


# ----------------------------------------------- divergence and extremes
def test_diverged_weights_give_non_finite_output_not_an_error():
    # Only the data entering the model is checked; inf inside means divergence,
    # which the training loop detects from the loss.
    model = mlp([2, 3, 3, 1], activation="relu", rng=0)
    model[0].W[:] = 1e308
    with np.errstate(all="ignore"):
        out = model.forward(np.ones((2, 2)))
    assert not np.all(np.isfinite(out))


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_extreme_inputs_raise_no_warnings(activation):
    model = mlp([2, 4, 1], activation=activation, rng=0, batchnorm=True)
    X = np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [500.0, 0.0]])
    out = model.forward(X)
    dX = model.backward(np.ones_like(out))
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dX))
    layer = activation_layer(activation)
    layer.forward(X)
    assert np.all(np.isfinite(layer.backward(np.ones_like(X))))
