"""The training loop: it learns, it is reproducible, it records the right numbers, and it fails clearly."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lessons import data, layers, losses, optim, training


class Recorder:
    """An optimizer object that records a copy of every gradient and never moves the parameters."""

    def __init__(self, lr=1.0):
        self.lr = lr
        self.grads = []

    def step(self, params, grads):
        self.grads.append({key: g.copy() for key, g in grads.items()})


def regularized_loss(model, X, y, loss_fn, l2):
    """The objective train() minimizes with L2: data loss + 0.5 * l2 * sum of squared weights."""
    value, _ = loss_fn(model.forward(X), y)
    penalty = sum(np.sum(W * W) for key, W in model.params.items() if key.endswith("W"))
    return value + 0.5 * l2 * penalty


def finite_differences(f, x, h=1e-6):
    """Central differences of the scalar f() with respect to every entry of x (perturbed in place)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


@pytest.fixture(scope="module")
def moons():
    return data.moons(n=200, noise=0.1, rng=0)


# ---------------------------------------------------------------- it learns
def test_loss_decreases_on_moons_with_a_small_mlp(moons):
    X, y = moons
    model = layers.mlp([2, 16, 16, 1], activation="tanh", rng=0)
    history = training.train(model, X, y, loss="bce", optimizer="adam", lr=0.02, epochs=30, batch_size=32)
    assert history.diverged_at is None and history.epochs_run == 30
    assert history.epoch_loss[0] > 0.3  # an untrained net is unsure: bce of a coin flip is log 2 = 0.69
    assert history.epoch_loss[-1] < 0.05
    assert history.epoch_loss[-1] < 0.1 * history.epoch_loss[0]
    assert training.accuracy(model, X, y) >= 0.98
    assert history.train_acc[-1] >= 0.98
    assert history.summary().startswith("30 epochs: loss ")


def test_full_batch_sgd_fits_the_line_with_a_linear_model():
    X, y = data.line(n=50, slope=2.0, intercept=0.5, noise=0.1)
    model = layers.Linear(1, 1, rng=0)
    history = training.train(model, X, y, loss="mse", optimizer="sgd", lr=0.3, epochs=300)
    # Least squares is the exact optimum of this convex problem.
    A = np.hstack([X, np.ones_like(X)])
    w, b = np.linalg.lstsq(A, y, rcond=None)[0][:, 0]
    assert model.params["W"][0, 0] == pytest.approx(w, abs=1e-6)
    assert model.params["b"][0] == pytest.approx(b, abs=1e-6)
    assert history.epoch_loss[-1] == pytest.approx(np.mean((A @ [[w], [b]] - y) ** 2), rel=1e-6)
    assert history.grad_norms.shape == (300, 1)  # a bare Linear is its own single layer


def test_softmax_on_spiral_reports_accuracy():
    X, y = data.spiral(n_per_class=40, k=3, noise=0.1)
    model = layers.mlp([2, 32, 3], activation="relu", init="he", rng=0)
    history = training.train(model, X, y, loss="softmax", optimizer="adam", lr=0.02, epochs=60, batch_size=40)
    assert history.epoch_loss[-1] < 0.5 * history.epoch_loss[0]
    assert len(history.train_acc) == 60 and history.train_acc[-1] > 0.7


# ---------------------------------------------------------- bookkeeping
@given(n=st.integers(5, 60), batch_size=st.integers(1, 60), epochs=st.integers(1, 3))
@settings(max_examples=20)
def test_steps_per_epoch_is_ceil_n_over_batch_size(n, batch_size, epochs):
    batch_size = min(batch_size, n)
    X, y = data.moons(n=n, rng=1)
    recorder = Recorder(lr=0.1)
    history = training.train(
        layers.Linear(2, 1, rng=0), X, y, loss="bce", optimizer=recorder, epochs=epochs, batch_size=batch_size
    )
    steps = epochs * math.ceil(n / batch_size)
    assert len(recorder.grads) == steps
    assert len(history.step_loss) == steps
    assert len(history.epoch_loss) == epochs == history.epochs_run


def test_every_row_is_used_once_per_epoch():
    # A loss that records the targets it is given shows which rows each step used.
    X = np.arange(10.0).reshape(10, 1)
    y = np.arange(10.0).reshape(10, 1)
    seen = []

    def spy_mse(pred, target):
        seen.append(target[:, 0].copy())
        return losses.mse(pred, target)

    training.train(layers.Linear(1, 1, rng=0), X, y, loss=spy_mse, lr=1e-3, epochs=2, batch_size=3)
    seen = seen[1:]  # the first call is train()'s up-front shape check on all rows
    assert [len(s) for s in seen] == [3, 3, 3, 1, 3, 3, 3, 1]
    for epoch in (seen[:4], seen[4:]):
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(10.0))
    assert not np.array_equal(np.concatenate(seen[:4]), np.arange(10.0))  # shuffled
    assert not np.array_equal(np.concatenate(seen[:4]), np.concatenate(seen[4:]))  # reshuffled each epoch


def test_same_seed_gives_identical_history_and_weights(moons):
    X, y = moons
    runs = []
    for _ in range(2):
        model = layers.mlp([2, 8, 8, 1], rng=3)
        history = training.train(model, X, y, loss="bce", optimizer="momentum", lr=0.1, epochs=5, batch_size=16, rng=11)
        runs.append((history, model))
    (h1, m1), (h2, m2) = runs
    assert h1.step_loss == h2.step_loss  # exactly, not approximately
    assert h1.epoch_loss == h2.epoch_loss and h1.train_acc == h2.train_acc
    np.testing.assert_array_equal(h1.grad_norms, h2.grad_norms)
    for key in m1.params:
        np.testing.assert_array_equal(m1.params[key], m2.params[key])
    other = training.train(
        layers.mlp([2, 8, 8, 1], rng=3), X, y, loss="bce", optimizer="momentum", lr=0.1, epochs=5, batch_size=16, rng=12
    )
    assert other.step_loss != h1.step_loss  # another shuffle seed, another path


def test_grad_norms_are_per_linear_layer_means_over_the_epochs_steps(moons):
    X, y = moons
    model = layers.mlp([2, 8, 8, 1], rng=0)  # Linear layers at indices 0, 2, 4
    recorder = Recorder()
    history = training.train(model, X, y, loss="bce", optimizer=recorder, epochs=2, batch_size=64)
    steps = math.ceil(200 / 64)
    assert history.grad_norms.shape == (2, 3)  # (epochs_run, number of Linear layers)
    for epoch in range(2):
        grads = recorder.grads[epoch * steps : (epoch + 1) * steps]
        expected = [np.mean([np.linalg.norm(g[f"{i}.W"]) for g in grads]) for i in (0, 2, 4)]
        np.testing.assert_allclose(history.grad_norms[epoch], expected, rtol=1e-12)


def test_l2_adds_l2_times_W_to_the_weight_gradients_only():
    X, y = data.moons(n=40, rng=2)
    model = layers.mlp([2, 5, 1], rng=4)
    for W in model.params.values():  # non-zero biases, so "b has no penalty" is tested for real
        W += 0.1 * np.random.default_rng(5).standard_normal(W.shape)
    l2 = 0.3
    recorder = Recorder()
    history = training.train(model, X, y, loss="bce", optimizer=recorder, epochs=1, l2=l2)
    got = recorder.grads[0]  # gradient at the initial weights (Recorder never moves them)

    def objective():
        return regularized_loss(model, X, y, losses.binary_cross_entropy, l2)

    assert history.step_loss[0] == pytest.approx(objective(), rel=1e-12)
    for key, p in model.params.items():
        numeric = finite_differences(objective, p)
        # central differences with h = 1e-6 agree to ~1e-9 relative
        np.testing.assert_allclose(got[key], numeric, rtol=1e-6, atol=1e-9)
    # and the L2 part is exactly l2 * W on weights, nothing on biases
    plain = Recorder()
    training.train(model, X, y, loss="bce", optimizer=plain, epochs=1)
    np.testing.assert_allclose(got["0.W"] - plain.grads[0]["0.W"], l2 * model.params["0.W"], rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(got["0.b"], plain.grads[0]["0.b"])


@pytest.mark.parametrize("batch_size", [None, 7])
def test_train_acc_counts_the_epochs_correct_predictions(moons, batch_size):
    X, y = moons
    model = layers.mlp([2, 3, 1], rng=1)  # an untrained net: accuracy well away from 0 and 1
    expected = training.accuracy(model, X, y)
    assert 0.2 < expected < 0.9
    # Recorder never moves the weights, so every step sees the same model.
    history = training.train(model, X, y, loss="bce", optimizer=Recorder(), epochs=2, batch_size=batch_size)
    assert history.train_acc == [expected, expected]


def test_clip_limits_the_step_but_grad_norms_show_the_raw_gradient(moons):
    X, y = moons
    recorder = Recorder()
    history = training.train(layers.mlp([2, 8, 1], rng=0), X, y, loss="bce", optimizer=recorder, epochs=1, clip=1e-3)
    total = math.sqrt(sum(float(np.sum(g * g)) for g in recorder.grads[0].values()))
    assert total == pytest.approx(1e-3, rel=1e-12)
    assert history.grad_norms[0].max() > 1e-2  # measured before clipping


def test_validation_curves_present_only_with_validation_data(moons):
    X, y = moons
    X_tr, X_va, y_tr, y_va = data.train_val_split(X, y, val_fraction=0.25)
    model = layers.mlp([2, 8, 1], rng=0)
    history = training.train(model, X_tr, y_tr, loss="bce", optimizer="adam", lr=0.01, epochs=4, X_val=X_va, y_val=y_va)
    assert len(history.val_loss) == len(history.val_acc) == len(history.train_acc) == 4
    # the last entries describe the trained model
    expected_loss, _ = losses.binary_cross_entropy(training.predict(model, X_va), y_va)
    assert history.val_loss[-1] == pytest.approx(expected_loss, rel=1e-12)
    assert history.val_acc[-1] == pytest.approx(training.accuracy(model, X_va, y_va), abs=0)
    assert "val loss" in history.summary() and "val acc" in history.summary()

    plain = training.train(layers.mlp([2, 8, 1], rng=0), X_tr, y_tr, loss="bce", epochs=2)
    assert plain.val_loss == [] and plain.val_acc == []
    regression = training.train(
        layers.Linear(2, 1, rng=0), X_tr, y_tr.astype(float), loss="mse", epochs=2, X_val=X_va, y_val=y_va.astype(float)
    )
    assert len(regression.val_loss) == 2 and regression.train_acc == [] and regression.val_acc == []


def test_schedule_sets_the_lr_of_each_epoch(moons):
    X, y = moons
    schedule = optim.step_decay(0.2, factor=0.5, every=2)
    history = training.train(layers.mlp([2, 4, 1], rng=0), X, y, loss="bce", lr=0.2, epochs=5, schedule=schedule)
    np.testing.assert_allclose(history.lrs, [0.2, 0.2, 0.1, 0.1, 0.05], rtol=1e-15)
    assert history.lr == 0.2


def test_train_restores_the_models_mode_and_predict_uses_eval_mode(moons):
    X, y = moons
    model = layers.mlp([2, 8, 1], rng=0, dropout=0.5)
    model.eval()
    training.train(model, X, y, loss="bce", epochs=1)
    assert model.training is False and all(layer.training is False for layer in model.layers)
    model.train()
    a, b = training.predict(model, X), training.predict(model, X)
    np.testing.assert_array_equal(a, b)  # no dropout noise in predict
    assert model.training is True


def test_accuracy_by_hand():
    X = np.array([[1.0, 0.0], [2.0, 1.0], [-1.0, 0.0], [-3.0, 5.0]])
    model = layers.Linear(2, 1, rng=0)
    model.params["W"][...] = [[1.0], [0.0]]  # logit = x0: class 1 iff x0 > 0
    assert training.accuracy(model, X, np.array([1, 1, 0, 1])) == 0.75
    scores = layers.Linear(2, 2, rng=0)
    scores.params["W"][...] = np.eye(2)  # class = argmax(x0, x1)
    assert training.accuracy(scores, X, np.array([0, 1, 0, 1])) == 0.5  # rows 0 and 3 right


# ------------------------------------------------------------- divergence
@pytest.mark.filterwarnings("error")
def test_too_large_lr_stops_cleanly_with_diverged_at_and_no_warning():
    X, y = data.line()
    model = layers.mlp([1, 16, 1], rng=0)
    old_err = np.geterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = training.train(model, X, y, loss="mse", lr=50, epochs=100)
    assert caught == []
    assert np.geterr() == old_err  # the errstate is local to train()
    assert history.diverged_at is not None and 1 <= history.diverged_at < 100
    assert history.epochs_run == history.diverged_at == len(history.epoch_loss)
    assert history.grad_norms.shape == (history.diverged_at, 2)
    assert len(history.lrs) == history.diverged_at
    assert all(math.isfinite(v) for v in history.epoch_loss[:-1])
    assert history.epoch_loss[-1] > 1e4 * history.step_loss[0]  # the explode_factor test fired
    # It stopped before taking the exploding step: the weights are those after the
    # last good epoch, exactly as a run that stops one epoch earlier leaves them.
    if history.diverged_at > 1:
        earlier = layers.mlp([1, 16, 1], rng=0)
        training.train(earlier, X, y, loss="mse", lr=50, epochs=history.diverged_at - 1)
        for key, p in model.params.items():
            np.testing.assert_array_equal(p, earlier.params[key])
    assert all(np.all(np.isfinite(p)) for p in model.params.values())
    assert f"diverged at epoch {history.diverged_at}" in history.summary()


@pytest.mark.filterwarnings("error")
def test_divergence_to_inf_is_stored_as_inf_without_warnings():
    X, y = data.line()
    model = layers.mlp([1, 16, 1], rng=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = training.train(model, X, y, loss="mse", lr=50, epochs=500, explode_factor=None)
    assert caught == []
    k = history.diverged_at
    assert k is not None and history.epochs_run == k
    assert history.epoch_loss[-1] == math.inf and history.step_loss[-1] == math.inf
    assert all(math.isfinite(v) for v in history.epoch_loss[:-1])
    assert np.all(np.isnan(history.grad_norms[-1]))  # no backward pass ran on a non-finite loss
    assert np.all(np.isfinite(history.grad_norms[:-1]))
    assert history.summary().startswith(f"diverged at epoch {k} (loss inf")


def test_a_safe_lr_does_not_trigger_divergence():
    X, y = data.line()
    history = training.train(layers.mlp([1, 16, 1], rng=0), X, y, loss="mse", lr=0.1, epochs=50)
    assert history.diverged_at is None and history.epochs_run == 50


# ------------------------------------------------------------------ bad input
def _bad(**overrides):
    X, y = data.moons(n=100, rng=0)
    kwargs = dict(model=layers.mlp([2, 4, 1], rng=0), X=X, y=y, loss="bce", epochs=1)
    kwargs.update(overrides)
    return lambda: training.train(**kwargs)


X_NAN = data.moons(n=100, rng=0)[0].copy()
X_NAN[3, 1] = np.nan
Y_NAN = data.line(n=100)[1].copy()
Y_NAN[5, 0] = np.inf


@pytest.mark.parametrize(
    "call, error, message",
    [
        (_bad(lr=0), ValueError, "learning rate must be a positive number, got 0"),
        (_bad(lr=-0.1), ValueError, "learning rate must be a positive number, got -0.1"),
        (_bad(lr=float("nan")), ValueError, "learning rate must be a positive number, got nan"),
        (_bad(batch_size=0), ValueError, "batch_size must be between 1 and the number of examples (100), got 0"),
        (_bad(batch_size=101), ValueError, "batch_size must be between 1 and the number of examples (100), got 101"),
        (_bad(batch_size=2.5), TypeError, "batch_size must be a whole number or None (full batch), got 2.5"),
        (_bad(X=X_NAN), ValueError, "X contains NaN or inf at row 3; clean the data before training"),
        (
            _bad(y=Y_NAN, X=data.line(n=100)[0], model=layers.Linear(1, 1), loss="mse"),
            ValueError,
            "y contains NaN or inf at row 5",
        ),
        (_bad(y=np.zeros(99)), ValueError, "y has 99 rows but X has 100; they need one row per example"),
        (_bad(y=np.zeros((100, 2))), ValueError, "targets of shape (100, 2) do not fit predictions of shape (100, 1)"),
        (
            _bad(X=np.zeros(100)),
            ValueError,
            "X must be a 2-D array of shape (N, D), got shape (100,); for one feature use X.reshape(-1, 1)",
        ),
        (_bad(X=np.zeros((100, 3))), ValueError, "Linear expected 2 features, got 3"),
        (_bad(optimizer="rmsprop"), ValueError, "unknown optimizer 'rmsprop'; choose one of: adam, momentum, sgd"),
        (_bad(optimizer=42), TypeError, "optimizer must be a name (adam, momentum, sgd) or an optimizer object"),
        (_bad(loss="hinge"), ValueError, "unknown loss 'hinge'; choose one of: bce, mse, softmax"),
        (_bad(loss=3), TypeError, "loss must be a name (bce, mse, softmax) or a function"),
        (
            _bad(loss="softmax", model=layers.mlp([2, 4, 2], rng=0), y=np.full(100, 2)),
            ValueError,
            "label 2 at row 0 is out of range for 2 classes (0 to 1)",
        ),
        (_bad(epochs=0), ValueError, "epochs must be a positive whole number, got 0"),
        (_bad(epochs=2.0), TypeError, "epochs must be a whole number, got float 2.0"),
        (_bad(l2=-0.1), ValueError, "l2 must be in [0, inf), got -0.1"),
        (_bad(clip=0), ValueError, "clip must be a positive number, got 0"),
        (_bad(explode_factor=1.0), ValueError, "explode_factor must be greater than 1 (or None), got 1"),
        (_bad(schedule=0.1), TypeError, "schedule must be a function epoch -> lr"),
        (_bad(X_val=np.zeros((5, 2))), ValueError, "give both X_val and y_val for validation, or neither"),
        (_bad(X_val=np.zeros((5, 2)), y_val=np.zeros(4)), ValueError, "y_val has 4 rows but X_val has 5"),
        (_bad(model="mlp"), TypeError, "model must be a layer or Sequential"),
        (_bad(rng="seed"), TypeError, "rng must be None, an int seed or a numpy Generator, got str"),
    ],
)
def test_bad_input_gets_one_clear_message_before_training(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


def test_a_bad_argument_leaves_the_model_untouched():
    X, y = data.moons(n=100)
    model = layers.mlp([2, 4, 1], rng=0)
    before = {key: p.copy() for key, p in model.params.items()}
    with pytest.raises(ValueError):
        training.train(model, X, np.zeros((100, 2)), loss="bce", epochs=5)
    for key, p in model.params.items():
        np.testing.assert_array_equal(p, before[key])


def test_history_repr_is_short():
    history = training.History(epoch_loss=[0.5, 0.25], lr=0.1)
    assert repr(history) == "History(2 epochs: loss 0.25)"
    assert training.History().summary() == "not trained yet"


# ------------------------------------------------ step(), callbacks, History's parts
def test_step_is_notebook_04s_loop_body():
    X, y = data.line(n=30)
    model = layers.mlp([1, 8, 1], rng=3)
    twin = layers.mlp([1, 8, 1], rng=3)
    result = training.step(model, X, y, losses.mse, optim.SGD(0.2))
    # Notebook 04, by hand: 1. calculate the error, 2. assign the blame, 3. go adjust the weights.
    y_hat = twin.forward(X)
    E, dy_hat = losses.mse(y_hat, y)
    twin.backward(dy_hat)
    for name, p in twin.params.items():
        p -= 0.2 * twin.grads[name]
    assert result.loss == result.data_loss == E and result.penalty == 0.0 and result.updated
    np.testing.assert_array_equal(result.y_hat, y_hat)
    for key, p in model.params.items():
        np.testing.assert_array_equal(p, twin.params[key])
    assert result.grad_norms == [np.linalg.norm(twin.grads["0.W"]), np.linalg.norm(twin.grads["2.W"])]


def test_step_does_not_update_on_a_non_finite_or_exploding_loss():
    X, y = data.line(n=10)
    model = layers.mlp([1, 4, 1], rng=0)
    before = {key: p.copy() for key, p in model.params.items()}
    exploding = training.step(model, X, y, losses.mse, optim.SGD(0.1), max_loss=1e-12)
    assert not exploding.updated and exploding.grad_norms  # backward ran, the step did not
    model[0].W[0, 0] = np.nan
    with np.errstate(all="ignore"):
        diverged = training.step(model, X, y, losses.mse, optim.SGD(0.1))
    assert diverged.loss == math.inf and not diverged.updated and diverged.grad_norms == []
    model[0].W[0, 0] = before["0.W"][0, 0]
    for key, p in model.params.items():
        np.testing.assert_array_equal(p, before[key])


def test_callbacks_see_every_step_in_order(moons):
    X, y = moons
    seen = []
    history = training.train(
        layers.mlp([2, 4, 1], rng=0), X, y, loss="bce", epochs=3, batch_size=64,
        callbacks=[lambda model, step: seen.append((step.loss, step.updated, len(step.y_hat)))],
    )  # fmt: skip
    assert [loss for loss, _, _ in seen] == history.step_loss
    assert all(updated for _, updated, _ in seen)
    assert [n for _, _, n in seen] == [64, 64, 64, 8] * 3  # 200 rows in batches of 64


def test_a_callback_can_record_the_path_of_the_weights():
    X, y = data.line(n=20)
    model = layers.Sequential(layers.Linear(1, 1, rng=0))
    path = [float(model[0].W[0, 0])]

    def record(model, step):
        if step.updated:
            path.append(float(model[0].W[0, 0]))

    training.train(model, X, y, lr=0.1, epochs=5, callbacks=record)
    assert len(path) == 6 and path[-1] == float(model[0].W[0, 0]) and len(set(path)) == 6


def test_history_keeps_the_data_loss_and_the_penalty_apart(moons):
    X, y = moons
    X_tr, X_va, y_tr, y_va = data.train_val_split(X, y, val_fraction=0.25)
    model = layers.mlp([2, 6, 1], rng=0)
    l2 = 0.05
    history = training.train(model, X_tr, y_tr, loss="bce", lr=0.3, epochs=4, l2=l2, X_val=X_va, y_val=y_va)
    np.testing.assert_allclose(np.add(history.data_loss, history.penalty), history.epoch_loss, rtol=1e-15)
    assert all(p > 0 for p in history.penalty)
    # after training: the penalty is 0.5 * l2 * sum(W**2), the validation loss is the data loss alone
    weights = sum(np.sum(W * W) for key, W in model.params.items() if key.endswith("W"))
    assert losses.l2_penalty(model.params, l2) == pytest.approx(0.5 * l2 * weights, rel=1e-14)
    val, _ = losses.binary_cross_entropy(training.predict(model, X_va), y_va)
    assert history.val_loss[-1] == pytest.approx(val, rel=1e-14)
    plain = training.train(layers.mlp([2, 6, 1], rng=0), X_tr, y_tr, loss="bce", lr=0.3, epochs=4)
    assert plain.penalty == [0.0] * 4 and plain.data_loss == plain.epoch_loss
