"""A learner's change comes first: background work pauses for it, and a long training run arrives in frames.

Two promises of the explorers (issue 16, "every control fast"):

- Precomputer: while a learner's change is computed and drawn, the background thread stops at its
  next pause point instead of competing for the GIL, and a result the learner waits for is never
  paused.
- The activation explorer: a change FROM THE BROWSER (``set_state``, what a comm message does) to a
  pair not trained yet shows the untrained network at once and trains in the background, pushing
  frames; it ends with exactly the picture, status and accuracy of a change IN CODE, which stays
  synchronous. No timed assertions here: speed is measured in benchmarks/.
"""

import re
import threading
import time

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from backprop_lessons import widgets  # noqa: E402
from backprop_lessons.plots import activation_label  # noqa: E402
from backprop_lessons.widgets._background import Precomputer, from_browser  # noqa: E402
from backprop_lessons.widgets._canvas import (  # noqa: E402
    checkbox,
    dropdown,
    float_slider,
    int_slider,
    log_slider,
)
from backprop_lessons.widgets.activation import ACTIVATION_CHOICES  # noqa: E402

# An exception escaping a background thread becomes a PytestUnhandledThreadExceptionWarning: an error.
pytestmark = pytest.mark.filterwarnings("error", "ignore::DeprecationWarning:(matplotlib|pyparsing)")

TRAINING = re.compile(r"^(\w+) on (\w+): training… epoch (\d+) of 300 ")


def wait_until(condition, timeout=120.0):
    """Poll until condition() (a generous timeout: the machines are shared; this is no speed test)."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "gave up waiting"
        time.sleep(0.005)


def choose_in_browser(explorer, activation):
    """What a learner's pick in the browser does: an "update" comm message -> set_state."""
    explorer.activation_dropdown.set_state({"index": ACTIVATION_CHOICES.index(activation)})


def cold(explorer, *pairs):
    """Forget the trained networks of ``pairs`` (after the background thread has trained everything).

    Every frame of the training is pushed (frame_gap 0): which ones a machine skips is not tested.
    """
    explorer.frame_gap = 0.0
    explorer.wait_precomputed()
    for pair in pairs:
        explorer.cache.pop(pair)
        explorer._pixels.pop(pair, None)


def record_statuses(explorer):
    seen = []
    explorer.status.observe(lambda change: seen.append(explorer.status_text), names="value")
    return seen


@pytest.fixture(scope="module")
def sigmoid_in_code():
    """The picture, status and numbers of (sigmoid, moons) chosen in code: the synchronous path."""
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    explorer.activation_dropdown.value = "sigmoid"
    explorer.stop_precomputing()
    return explorer


# ----------------------------------------------------------------- our controls tell a browser change
@pytest.mark.parametrize(
    "make, state, in_code",
    [
        (lambda: dropdown("d", ["a", "b"], "a"), {"index": 1}, "a"),
        (lambda: log_slider("lr", 0.1, 0.01, 1.0), {"index": 0}, 0.1),
        (lambda: float_slider("p", 0.2, 0.0, 0.5, step=0.1), {"value": 0.4}, 0.2),
        (lambda: int_slider("n", 3, 1, 10), {"value": 5}, 3),
        (lambda: checkbox("c"), {"value": True}, False),
    ],
)
def test_a_change_from_the_browser_is_marked_and_one_in_code_is_not(make, state, in_code):
    control = make()
    seen = []
    control.observe(lambda change: seen.append(from_browser()), names="value")
    control.set_state(state)  # what ipywidgets does for a comm message from the frontend
    assert seen == [True]
    assert not from_browser()  # only during the change
    control.value = in_code
    assert seen == [True, False]


# ----------------------------------------------------------------- the activation explorer, progressive
def test_a_browser_change_shows_the_untrained_network_at_once_and_ends_like_a_change_in_code(sigmoid_in_code):
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    cold(explorer, ("sigmoid", "moons"))
    seen = record_statuses(explorer)
    with explorer.precomputer.foreground():  # the background thread waits while we look at the first frame
        choose_in_browser(explorer, "sigmoid")
        # set_state returned: a first frame with the new f and f′, the network at epoch 0, nothing trained yet
        assert TRAINING.match(explorer.status_text).groups() == ("sigmoid", "moons", "0")
        assert explorer.accuracy is None and explorer.history is None
        assert explorer.legend.get_texts()[0].get_text() == f"f(z) = {activation_label('sigmoid')}"
        first = explorer.png
    wait_until(lambda: "training…" not in explorer.status_text)
    epochs = [int(TRAINING.match(s).group(3)) for s in seen if TRAINING.match(s)]
    assert epochs == [0, 10, 30, 60, 100, 200]  # the main thread was idle: no frame had to be skipped
    assert explorer.png != first
    # exactly what the synchronous path gives: same seeded training, only chunked
    assert explorer.status_text == sigmoid_in_code.status_text
    assert explorer.png == sigmoid_in_code.png
    assert explorer.accuracy == sigmoid_in_code.accuracy
    assert explorer.history.epoch_loss == sigmoid_in_code.history.epoch_loss
    explorer.stop_precomputing()


def test_a_new_dataset_chosen_in_the_browser_trains_in_frames_too():
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    cold(explorer, ("tanh", "xor"))
    with explorer.precomputer.foreground():
        explorer.dataset_dropdown.set_state({"index": explorer.dataset_dropdown.options.index("xor")})
        assert TRAINING.match(explorer.status_text).groups() == ("tanh", "xor", "0")
    wait_until(lambda: "training…" not in explorer.status_text)
    in_code = widgets.activation_explorer(dataset="xor", activation="tanh")
    assert explorer.status_text == in_code.status_text and explorer.png == in_code.png
    for e in (explorer, in_code):
        e.stop_precomputing()


def test_a_frame_for_a_pair_no_longer_selected_is_dropped(monkeypatch):
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    cold(explorer, ("sigmoid", "moons"), ("relu", "moons"))
    with explorer.precomputer.foreground():  # sigmoid's training waits until we watch
        choose_in_browser(explorer, "sigmoid")
        choose_in_browser(explorer, "relu")  # moved on before sigmoid finished training
        frames = []  # the status of every picture drawn from now on
        refresh = explorer.refresh
        monkeypatch.setattr(explorer, "refresh", lambda **kw: (refresh(**kw), frames.append(explorer.status_text)))
    wait_until(lambda: ("sigmoid", "moons") in explorer.cache and ("relu", "moons") in explorer.cache)
    wait_until(lambda: "training…" not in explorer.status_text)
    # sigmoid's frames (epochs 10-200 and its final one) were never drawn; relu's all were
    epochs = [int(TRAINING.match(s).group(3)) if TRAINING.match(s) else s for s in frames]
    in_code = widgets.activation_explorer(dataset="moons", activation="relu")
    assert epochs == [10, 30, 60, 100, 200, in_code.status_text]
    assert all(s.startswith("relu on moons: ") for s in frames)
    assert explorer.png == in_code.png
    for e in (explorer, in_code):
        e.stop_precomputing()


def test_a_frame_sooner_than_frame_gap_after_the_last_is_skipped(sigmoid_in_code, monkeypatch):
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    cold(explorer, ("sigmoid", "moons"))
    explorer.frame_gap = 1e9  # no frame between the first and the trained one
    frames = []
    refresh = explorer.refresh
    monkeypatch.setattr(explorer, "refresh", lambda **kw: (refresh(**kw), frames.append(explorer.status_text)))
    choose_in_browser(explorer, "sigmoid")
    wait_until(lambda: "training…" not in explorer.status_text)
    assert [TRAINING.match(s).group(3) if TRAINING.match(s) else s for s in frames] == [
        "0",
        sigmoid_in_code.status_text,
    ]
    assert explorer.png == sigmoid_in_code.png
    explorer.stop_precomputing()


def test_a_change_in_code_stays_synchronous(sigmoid_in_code):
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    cold(explorer, ("sigmoid", "moons"))
    explorer.activation_dropdown.value = "sigmoid"
    # final when the assignment returns, as notebook cells and nbval rely on
    assert explorer.status_text == sigmoid_in_code.status_text
    assert explorer.accuracy == sigmoid_in_code.accuracy and explorer.png == sigmoid_in_code.png
    explorer.stop_precomputing()


def test_a_change_in_code_while_the_browser_watches_the_same_pair_waits_for_it(sigmoid_in_code):
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    cold(explorer, ("sigmoid", "moons"))
    choose_in_browser(explorer, "sigmoid")
    explorer.activation_dropdown.value = "tanh"
    explorer.activation_dropdown.value = "sigmoid"  # in code: waits for the background run (or trains here)
    assert explorer.status_text == sigmoid_in_code.status_text and explorer.png == sigmoid_in_code.png
    explorer.wait_precomputed()
    assert explorer.status_text == sigmoid_in_code.status_text  # no stale frame came afterwards
    explorer.stop_precomputing()


def test_a_comm_message_from_the_frontend_takes_the_browser_path():
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    cold(explorer, ("sigmoid", "moons"))
    index = ACTIVATION_CHOICES.index("sigmoid")
    # the message a Dropdown view sends when the learner picks an option (ipywidgets 8: the index)
    message = {"content": {"data": {"method": "update", "state": {"index": index}, "buffer_paths": []}}, "buffers": []}
    with explorer.precomputer.foreground():  # the first frame stays until we have looked
        explorer.activation_dropdown._handle_msg(message)
        assert TRAINING.match(explorer.status_text).groups() == ("sigmoid", "moons", "0")
    wait_until(lambda: "training…" not in explorer.status_text)
    assert explorer.accuracy is not None
    explorer.stop_precomputing()


def test_with_the_background_thread_stopped_a_browser_change_trains_at_once(sigmoid_in_code):
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    cold(explorer, ("sigmoid", "moons"))
    explorer.stop_precomputing()  # nobody would train it in the background: no endless "training…"
    choose_in_browser(explorer, "sigmoid")
    assert explorer.status_text == sigmoid_in_code.status_text and explorer.png == sigmoid_in_code.png


def test_a_failed_background_training_is_one_status_line_not_a_traceback(monkeypatch):
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    cold(explorer, ("sigmoid", "moons"))

    def broken(activation, dataset):
        raise ValueError("the optimizer fell over")

    monkeypatch.setattr(explorer, "_train", broken)
    # the worst order: it failed before the change's update() wants the pairs next to it (this one too)
    precompute_next, pre = explorer._precompute_next, explorer.precomputer
    key = ("sigmoid", "moons")

    def failed_first():
        if not pre.in_worker():
            wait_until(lambda: key in pre.errors)
        precompute_next()

    monkeypatch.setattr(explorer, "_precompute_next", failed_first)
    choose_in_browser(explorer, "sigmoid")
    wait_until(lambda: "failed" in explorer.status_text)
    explorer.wait_precomputed()  # and the background thread's own frame of it: still the one line
    assert explorer.status_text == "sigmoid on moons: training failed (ValueError: the optimizer fell over)."
    explorer.stop_precomputing()


def test_a_frame_that_cannot_be_drawn_becomes_the_status_line(monkeypatch):
    explorer = widgets.activation_explorer(dataset="moons", activation="tanh")
    explorer.stop_precomputing()

    def broken():
        raise RuntimeError("no pixels today")

    monkeypatch.setattr(explorer, "update", broken)
    assert explorer.push(lambda: True) is False  # no exception
    assert explorer.status_text == "Could not draw this frame (RuntimeError: no pixels today)."
    assert explorer.push(lambda: False) is False  # a stale frame: not even tried


# ----------------------------------------------------------------- Precomputer: the learner comes first
def counting_job(pre, steps, count, started=None):
    def job():
        if started is not None:
            started.set()
        for _ in range(steps):
            pre.pause_point()
            count[0] += 1
        return "done"

    return job


def test_a_failed_result_is_tried_again_only_when_a_learner_asks_for_it():
    pre, calls = Precomputer(), []

    def broken():
        calls.append(1)
        raise ValueError("no")

    pre.want("k", broken)
    pre.wait()
    assert isinstance(pre.errors["k"], ValueError) and len(calls) == 1
    assert pre.want("k", broken) is False  # a neighbour wanted again: not retried
    pre.wait()
    assert len(calls) == 1 and "k" in pre.errors
    assert pre.want("k", broken, first=True) is True  # the learner picks it again
    pre.wait()
    assert len(calls) == 2


def test_the_background_thread_pauses_while_a_request_is_in_flight():
    pre, count = Precomputer(), [0]
    with pre.foreground():  # a learner's change is being computed
        pre.want("next", counting_job(pre, 500, count))
        with pre._cond:
            assert pre._cond.wait_for(lambda: pre.paused, timeout=60)
        stopped_at = count[0]
        time.sleep(0.05)  # room for it to go on, if it did not pause
        assert count[0] == stopped_at < 500
        assert "next" not in pre.results
    pre.wait()
    assert count[0] == 500 and pre.results["next"] == "done"
    assert not pre.paused


def test_a_request_in_one_explorer_pauses_the_background_threads_of_the_others():
    learner, other, count = Precomputer(), Precomputer(), [0]
    with learner.foreground():  # a change in another explorer of the notebook
        other.want("next", counting_job(other, 500, count))
        with other._cond:
            assert other._cond.wait_for(lambda: other.paused, timeout=60)
        assert count[0] < 500
    other.wait()
    assert count[0] == 500


def test_without_a_request_the_background_thread_does_not_pause():
    pre, count = Precomputer(), [0]
    pre.want("next", counting_job(pre, 500, count))
    pre.wait()
    assert count[0] == 500


def test_a_result_the_learner_waits_for_is_not_paused():
    pre, count, started = Precomputer(), [0], threading.Event()
    pre.want("key", counting_job(pre, 300, count, started))
    started.wait(60)
    got = []

    def learner():
        with pre.foreground():  # as Explorer.refresh does around update()
            got.append(pre.get("key", lambda: "computed again"))

    thread = threading.Thread(target=learner, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "deadlock: the background thread paused for the request waiting for it"
    assert got == ["done"] and count[0] == 300


def test_want_first_goes_to_the_front_and_done_is_called_after_the_result():
    pre, order = Precomputer(), []
    started, gate = threading.Event(), threading.Event()
    pre.want("a", lambda: started.set() or gate.wait(60) and order.append("a"))
    started.wait(60)  # the thread is busy with "a"
    pre.want("b", lambda: order.append("b"))
    pre.want("c", lambda: order.append("c"), first=True, done=lambda: order.append(("done", "c" in pre.results)))
    gate.set()
    wait_until(lambda: len(order) == 4)
    assert order == ["a", "c", ("done", True), "b"]  # a job already started finishes first


# ----------------------------------------------------------------- gradient flow: a new depth, no full redraw
def test_a_new_depth_draws_no_full_background_and_a_revisit_gives_the_same_pixels():
    explorer = widgets.gradient_flow_explorer(depth=10)
    explorer.stop_precomputing()
    redraws = explorer.fast.full_redraws
    first = {}
    for depth in (1, 2, 9, 10, 11, 19, 20, 21, 30, 10):
        explorer.depth_slider.value = depth
        first.setdefault(depth, explorer.png)
    assert explorer.fast.full_redraws == redraws  # only the two axes that follow the depth were drawn
    for depth in (30, 1, 21, 2, 20, 11, 19, 9):
        explorer.depth_slider.value = depth  # its axes come from the kept pixels now
        assert explorer.png == first[depth], depth
    for depth in (1, 21, 30):
        assert widgets.gradient_flow_explorer(depth=depth).png == first[depth]  # a fresh, full draw


def test_work_wanted_while_the_last_thread_is_ending_is_still_done():
    """A thread that found nothing more to do is still alive for a moment: want() must not count on it."""
    parked, release = threading.Event(), threading.Event()

    class Ending(Precomputer):
        def _work(self):
            super()._work()  # nothing pending: it has decided to stop...
            parked.set()
            release.wait(60)  # ...and is still alive

    pre = Ending()
    try:
        pre.want("a", lambda: 1)
        assert parked.wait(60)
        assert pre.want("b", lambda: 2)
        wait_until(lambda: "b" in pre.results, timeout=30)  # (is_alive() said yes: nobody took "b")
    finally:
        release.set()
        pre.stop()
