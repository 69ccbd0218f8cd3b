"""Notebook 10's mystery network: the diagnosis and the fix are graded honestly.

The checker's statements about the mystery are claims about real training runs, so
each one is tested here by running it: the faults are there, each single fix falls
short, the reference fix reaches the target, and every "not this network's problem"
sentence is true.
"""

import numpy as np
import pytest
from _exercises import ex, run, solutions

from backprop_lessons.exercises import nb10_capstone as nb10

TARGET = nb10.MYSTERY["fresh_loss_target"]  # cross-entropy on the fresh points


@pytest.fixture(scope="module")
def trained():
    """The mystery trained as given, with He init, and with the reference fix."""
    return {
        name: nb10._train_mystery(changes)
        for name, changes in [("as given", {}), ("he", {"init": "he"}), ("fix", solutions.fix())]
    }


def test_the_mystery_has_both_faults(trained):
    _, given, stats = trained["as given"]
    assert given.diverged_at is not None and given.diverged_at <= 2  # exploding
    assert all(r["grad_rms"] > 1 for r in stats)  # "every gradient RMS above 1"
    assert all(r["update_ratio"] > 0.5 for r in stats)  # steps as big as the weights
    model, he, _ = trained["he"]
    assert he.diverged_at is None
    assert he.train_acc[-1] >= 0.95 and he.train_acc[-1] - he.val_acc[-1] > 0.1  # memorizes (overfits)
    assert he.val_loss[-1] > 1.5 * min(he.val_loss)  # validation loss rises again
    assert nb10.fresh_scores(model)[0] > TARGET + 0.1  # fixing the first fault is not enough


def test_the_reference_fix_reaches_the_target_with_two_changes(capsys, trained):
    model, history, _ = trained["fix"]
    loss, acc = nb10.fresh_scores(model)
    assert history.diverged_at is None and loss <= TARGET - 0.05 and acc > 0.9
    result, out = run(capsys, ex.check_fix, solutions.fix)
    assert result.passed and "with 2 change(s): init, l2" in out and "two are enough" not in out


@pytest.mark.parametrize(
    "changes",
    [
        {"init": "xavier"},
        {"std": 0.2},
        {"init": "he", "l2": 1e-3},
        {"init": "he", "epochs": 500},
        {"sizes": [2, 64, 64, 3]},
    ],
)
def test_one_fault_fixed_or_too_weak_a_second_fix_misses_the_target(changes):
    model, history, _ = nb10._train_mystery(changes)
    assert history.diverged_at is None and nb10.fresh_scores(model)[0] > TARGET + 0.02


@pytest.mark.parametrize(
    "changes, margin",
    [
        ({"init": "he", "dropout": 0.3}, 0.02),
        ({"init": "xavier", "l2": 1e-2}, 0.02),
        ({"std": 0.2, "dropout": 0.3}, 0.02),
        # one change that removes both causes (MYSTERY's comment says so)
        ({"sizes": [2, 64, 3]}, 0.0),
        ({"activation": "sigmoid"}, 0.02),
    ],
)
def test_fixes_that_address_both_faults_reach_the_target(changes, margin):
    model, _, _ = nb10._train_mystery(changes)
    assert nb10.fresh_scores(model)[0] < TARGET - margin


def test_accuracy_would_not_separate_the_fixes():
    # why the fix is graded on the loss: He alone and He + L2 differ by ~3 points of accuracy
    # but more than 2x in cross-entropy (overfitting = confident mistakes, notebook 09)
    (loss_he, acc_he), (loss_fix, acc_fix) = (
        nb10.fresh_scores(nb10._train_mystery(c)[0]) for c in ({"init": "he"}, solutions.fix())
    )
    assert acc_fix - acc_he < 0.05 and loss_he > 2 * loss_fix


def test_validation_loss_of_a_regularized_run_is_the_data_loss(trained):
    from backprop_lessons.losses import softmax_cross_entropy
    from backprop_lessons.training import predict

    model, history, _ = trained["fix"]
    _, X_val, _, y_val = nb10.mystery_data()
    data_loss, _ = softmax_cross_entropy(predict(model, X_val), y_val)
    assert history.val_loss[-1] == pytest.approx(data_loss, rel=1e-9)  # no ½·λ·ΣW² added


def test_more_changes_than_needed_pass_with_a_note(capsys):
    result, out = run(capsys, ex.check_fix, {"init": "he", "l2": 1e-2, "dropout": 0.1, "epochs": 1500})
    if result.passed:  # the extra changes may or may not keep the target; if they do, say so
        assert "you changed 4 settings: two are enough; which?" in out
    else:
        assert "below" in out


def test_single_fixes_fail_with_the_right_hint(capsys):
    result, out = run(capsys, ex.check_fix, {"l2": 1e-2})
    assert not result.passed and "still diverges" in out and "first fault is not fixed" in out
    result, out = run(capsys, ex.check_fix, {"init": "he"})
    assert not result.passed and "second fault" in out and f"above {TARGET}" in out
    result, out = run(capsys, ex.check_fix, {"init": "he", "l2": 3e-2})
    assert not result.passed and "too much regularization" in out


def test_the_reference_diagnosis_passes_and_wrong_ones_are_explained(capsys):
    result, out = run(capsys, ex.check_diagnosis, solutions.diagnosis)
    assert result.passed and out.count("yes, the network has it") == 2
    result, out = run(capsys, ex.check_diagnosis, lambda: {"exploding gradients"})
    assert not result.passed and "a fault is missing" in out and "compare training and validation" in out
    result, out = run(capsys, ex.check_diagnosis, lambda: {"Exploding gradients", "overfitting", "dead ReLUs"})
    assert not result.passed and "dead ReLUs: not this network's problem" in out
    assert "yes, the network has it" in out  # case and spacing of the names do not matter


def test_every_reason_against_a_wrong_suspect_is_true(trained):
    # learning rate too large: a 10x smaller rate still diverges
    assert nb10._train_mystery({"lr": nb10.MYSTERY["config"]["lr"] / 10})[1].diverged_at is not None
    # ... "a 100x smaller alpha does train" and "the act std grows about 6x per layer"
    assert nb10._train_mystery({"lr": nb10.MYSTERY["config"]["lr"] / 100})[1].diverged_at is None
    stds = [r["act_std"] for r in trained["as given"][2][:-1]]
    assert all(4 < b / a < 8 for a, b in zip(stds[1:], stds[2:]))
    # learning rate too small: the first run diverges within two epochs
    assert trained["as given"][1].diverged_at <= 2
    # vanishing gradients: every layer's gradient RMS at the start is above 1
    assert min(r["grad_rms"] for r in trained["as given"][2]) > 1
    # dead ReLUs: some units are silent at the start, but the gradients are huge, not zero
    stats = trained["as given"][2]
    assert 0 < max(r["dead"] for r in stats[:-1]) < 0.5 and min(r["grad_rms"] for r in stats) > 1
    # underfitting: once it trains, it classifies its training points almost perfectly
    assert trained["he"][1].train_acc[-1] >= 0.95
    assert set(nb10._NOT_THIS) == set(nb10.FAULTS) - nb10._TRUE_FAULTS


@pytest.mark.parametrize(
    "answer, message",
    [
        ("overfitting", "return a set of fault names"),
        (lambda: {"too deep"}, "'too deep' is not one of the faults"),
        (lambda: 42, "got a single number (42)"),
    ],
)
def test_diagnosis_bad_answers_get_one_line(capsys, answer, message):
    result, out = run(capsys, ex.check_diagnosis, answer)
    assert not result.passed and message in out and len(out.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "answer, message",
    [
        (lambda: ["init", "he"], "give the changes as a dict"),
        (lambda: {"learning_rate": 0.01}, "unknown setting 'learning_rate'; the settings are: sizes"),
        (lambda: {"activation": "relu"}, "'activation' = 'relu' is already the mystery's setting"),
    ],
)
def test_fix_bad_answers_get_one_line(capsys, answer, message):
    result, out = run(capsys, ex.check_fix, answer)
    assert not result.passed and message in out


def test_stubs_say_not_written_yet(capsys):
    def diagnosis():
        raise NotImplementedError()

    def fix():
        raise NotImplementedError()

    assert "`diagnosis` is not written yet" in run(capsys, ex.check_diagnosis, diagnosis)[1]
    assert "`fix` is not written yet" in run(capsys, ex.check_fix, fix)[1]


def test_lab_counts_its_budget_and_refuses_bad_settings_for_free(capsys):
    lab = nb10.MysteryLab(budget=2)
    assert lab.run(learning_rate=0.1) is None
    assert "unknown setting 'learning_rate'" in capsys.readouterr().out and lab.runs == []
    first = lab.run()
    assert "run 1 (as given): diverged at epoch" in capsys.readouterr().out and first.history.diverged_at
    lab.run(lr=0.001, epochs=5)
    assert "0 of 2 experiments left" in capsys.readouterr().out
    assert lab.run(init="he") is None and "budget of 2 experiments is used up" in capsys.readouterr().out

    def experiments(lab):
        raise NotImplementedError()

    lab.experiments(experiments)
    assert "`experiments` is not written yet" in capsys.readouterr().out


def test_lab_plot_draws_the_loss_and_one_bar_per_layer(trained):
    import matplotlib

    matplotlib.use("Agg")
    model, history, stats = trained["he"]
    ax_loss, ax_grad = nb10.MysteryLab().plot(nb10.Run(2, {"init": "he"}, model, history, stats))
    assert len(ax_grad.patches) == len(nb10.MYSTERY["config"]["sizes"]) - 1
    assert ax_loss.get_title() == "run 2 (init='he')"


def test_mystery_data_is_disjoint_from_the_fresh_points():
    X_train, X_val, y_train, y_val = nb10.mystery_data()
    assert X_train.shape == (60, 2) and X_val.shape == (60, 2)
    from backprop_lessons.data import spiral

    X_new, _ = spiral(**nb10.MYSTERY["fresh"])
    seen = {tuple(np.round(r, 12)) for r in np.vstack([X_train, X_val])}
    assert sum(tuple(np.round(r, 12)) in seen for r in X_new) <= 3  # at most the shared centre points
