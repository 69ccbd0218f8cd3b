"""Notebook 05's checkers (backprop_lessons/exercises/nb05_learning_rate.py): right answers pass,
each typical mistake gets the hint that names it (and only where its signature is unambiguous),
and the learning-rate challenge says what really held a run back (issue 12 §6)."""

import numpy as np
import pytest
from _exercises import run

from backprop_lessons.exercises import nb05_learning_rate as nb05


def stub(*args):
    raise NotImplementedError()


# ------------------------------------------------------------------ references pass
@pytest.mark.parametrize("name", ["check_sgd_update", "check_convergence_factor"])
def test_reference_function_passes(capsys, name):
    result, out = run(capsys, getattr(nb05, name), nb05.SOLUTIONS[name])
    assert result.passed and result.n_cases == 3 and out.strip().endswith("All 3 cases passed.")


def test_reference_answers_pass(capsys):
    assert run(capsys, nb05.check_learning_rate_choice, nb05.learning_rate_choice, k=6.0)[0].passed
    result, out = run(capsys, nb05.check_lr_challenge, nb05.lr_challenge)
    assert result.passed and "first below 0.02 at epoch 6" in out


@pytest.mark.parametrize(
    "checker, args",
    [
        (nb05.check_learning_rate_choice, {"k": 6.0}),
        (nb05.check_convergence_factor, {}),
        (nb05.check_lr_challenge, {}),
        (nb05.check_sgd_update, {}),
    ],
)
def test_a_stub_gets_one_line(capsys, checker, args):
    result, out = run(capsys, checker, stub, **args)
    assert not result.passed and out.strip().splitlines() == [
        "✗ `stub` is not written yet: replace `raise NotImplementedError()` with your code, then run this cell again"
    ]


# ------------------------------------------------------------------ the update rule
@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda w, grad, lr: w + lr * grad, "stepped uphill"),
        (lambda w, grad, lr: lr * grad, "returned the step only"),
        (lambda w, grad, lr: w - grad, "learning rate is missing"),
    ],
)
def test_sgd_update_mistakes(capsys, fn, hint):
    result, out = run(capsys, nb05.check_sgd_update, fn)
    assert not result.passed and hint in out


def test_sgd_update_may_change_w_in_place(capsys):
    def sgd_in_place(w, grad, lr):
        w -= lr * grad  # real optimizers do this; allowed for w
        return w

    assert run(capsys, nb05.check_sgd_update, sgd_in_place)[0].passed


# ------------------------------------------------------------- exercise 1: a rate
@pytest.mark.parametrize(
    "lr, ok, words",
    [
        (0.25, True, "ONE step"),
        (0.1, True, "smoothly"),
        (0.4, True, "zig-zagging"),
        (0.01, True, "slowly"),
        (0.5, False, "bounces"),
        (0.6, False, "grows"),
        (-0.1, False, "not positive"),
        ("0.1", False, "expected a number"),
    ],
)
def test_learning_rate_choice_on_the_k4_bowl(capsys, lr, ok, words):
    result, out = run(capsys, nb05.check_learning_rate_choice, lr)
    assert result.passed is ok and words in out and len(out.splitlines()) == 1


def test_learning_rate_choice_names_the_misread_k(capsys):
    # E = 3 w² has k = 6; a rate that is safe only for k = 3 (1/3 ≤ lr < 2/3) gets the reminder
    for lr in (1 / 3, 0.5):
        result, out = run(capsys, nb05.check_learning_rate_choice, lambda lr=lr: lr, k=6.0)
        assert not result.passed and "with k = 6 (the second derivative), not k = 3" in out
    result, out = run(capsys, nb05.check_learning_rate_choice, 0.9, k=6.0)  # just too large: no such claim
    assert not result.passed and "not k = 3" not in out
    assert run(capsys, nb05.check_learning_rate_choice, lambda: 1 / 6, k=6.0)[0].passed


# ------------------------------------------------------ exercise 2: the factor
def test_convergence_factor_hints_are_unambiguous():
    # in every case of the checker, the values that get a hint differ from each other and from the answer
    for lr, k in [(0.2, [0.5, 3.0, 9.0]), (0.35, [3.0, 4.0, 5.0]), (0.25, [0.5, 2.0, 9.0])]:
        case = nb05._factor_case("t", lr, k)
        scalars = [v for v, _ in case.diag["factor"]["alternatives"] if np.ndim(v) == 0]
        assert all(abs(v - case.expected) > 1e-9 for v in scalars)
        assert len({round(v, 9) for v in scalars}) == len(scalars)


@pytest.mark.parametrize(
    "fn, hints",
    [
        (lambda lr, k: float(np.max(1 - lr * np.asarray(k))), ["looks harmless", "gentlest curvature only"]),
        (lambda lr, k: float(np.min(np.abs(1 - lr * np.asarray(k)))), ["FASTEST direction"]),
        (lambda lr, k: abs(1 - lr * np.max(k)), ["only the steepest curvature"]),
        (lambda lr, k: abs(1 - lr * np.min(k)), ["gentlest curvature only"]),
        (lambda lr, k: np.abs(1 - lr * np.asarray(k)), ["one factor per curvature"]),
    ],
)
def test_convergence_factor_mistakes(capsys, fn, hints):
    result, out = run(capsys, nb05.check_convergence_factor, fn)
    assert not result.passed
    for hint in hints:
        assert hint in out, out


def test_convergence_factor_ambiguous_values_get_no_wrong_hint(capsys):
    # case 2 (lr = 0.35, curvatures [3, 4, 5]): "fastest" and "gentlest only" both give 0.05,
    # so the checker says what differs and names neither mistake
    _, out = run(capsys, nb05.check_convergence_factor, lambda lr, k: float(np.min(np.abs(1 - lr * np.asarray(k)))))
    line = out.splitlines()[1]
    assert line.startswith("✗ case 2") and "expected 0.75, got 0.05" in line
    assert "FASTEST" not in line and "gentlest" not in line


def test_convergence_factor_accepts_float32_and_numpy_scalars(capsys):
    f32 = lambda lr, k: np.float32(np.max(np.abs(1 - lr * np.asarray(k, dtype=np.float32))))  # noqa: E731
    assert run(capsys, nb05.check_convergence_factor, f32)[0].passed


# ------------------------------------------------------------ exercise 3: the challenge
@pytest.mark.parametrize(
    "answer, ok, words",
    [
        ((0.7, 6), True, "first below 0.02 at epoch 6"),
        ((0.74, 7), True, "first below 0.02 at epoch 6"),
        # the right rate with too few epochs: the problem is the epochs, and the hint says so
        ((0.7, 3), False, "this lr is fine: it gets below the target at epoch 6, but you stopped after 3"),
        # issue 12 §6: "0.5 with 5 epochs" — 0.5 reaches the target only at epoch 9, so more epochs would not
        # pass the 7-epoch limit: the hint gives that epoch and names the slow (gentle) direction
        ((0.5, 5), False, "only at epoch 9; the gentle direction is the slow one: try a larger lr"),
        ((0.3, 7), False, "only at epoch 15; the gentle direction is the slow one"),
        ((0.9, 7), False, "only at epoch 15; the steep direction zig-zags and is the slow one: try a smaller lr"),
        ((1.2, 7), False, "diverged at epoch 16"),
        ((2.0, 7), False, "diverged at epoch 6"),
        ((0.7, 20), False, "use at most 7 epochs"),
        ((0.7, 6.5), False, "whole number"),
        ((-1, 5), False, "lr must be positive"),
        (("0.7", 6), False, "expected a number for lr"),
        (0.7, False, "expected (lr, epochs)"),
    ],
)
def test_lr_challenge(capsys, answer, ok, words):
    result, out = run(capsys, nb05.check_lr_challenge, lambda: answer)
    assert result.passed is ok and words in out, out
    assert len(out.strip().splitlines()) == 1


def test_lr_challenge_two_argument_form_and_optimizers(capsys):
    assert run(capsys, nb05.check_lr_challenge, 0.7, 6)[0].passed
    for name in ("momentum", "adam"):
        result, out = run(capsys, nb05.check_lr_challenge, 0.7, 6, optimizer=name)
        assert not result.passed and "plain gradient descent" in out and "notebook 08" in out


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_momentum_and_adam_cannot_meet_the_challenge_with_their_usual_settings(optimizer):
    """The checker's claim: with their default β's, no α gets them below 0.02 within 7 epochs here."""
    from backprop_lessons.data import line
    from backprop_lessons.layers import Linear, Sequential
    from backprop_lessons.training import train

    X, y = line()
    for lr in np.geomspace(1e-3, 10, 60):
        model = Sequential(Linear(1, 1))
        model[0].params["W"][...], model[0].params["b"][...] = nb05.LR_CHALLENGE["start"]
        history = train(model, X, y, loss="mse", optimizer=optimizer, lr=lr, epochs=7)
        assert min(history.epoch_loss) > nb05.LR_CHALLENGE["target"]


def test_lr_challenge_window_needs_the_curvatures():
    """Only rates near 2/(λmin + λmax) ≈ 0.745 pass; none of the explorer's grid values does."""
    passing = [
        lr
        for lr in np.arange(0.3, 1.0, 0.05)
        if (f := nb05._first_below(nb05.challenge_run(lr, 7), 0.02)) is not None and f <= 7
    ]
    assert min(passing) > 0.59 and max(passing) < 0.81
    assert nb05._best_sgd_lr() == pytest.approx(0.7448, abs=1e-3)
    for grid_lr in (0.3, 0.5, 0.9, 1.0):
        assert nb05._first_below(nb05.challenge_run(grid_lr, 7), 0.02) is None


def test_lr_challenge_starts_where_the_explorer_starts():
    lr_module = pytest.importorskip("backprop_lessons.widgets.learning_rate")
    assert tuple(nb05.LR_CHALLENGE["start"]) == tuple(lr_module.SURFACE_START)
