"""Smoke tests of benchmarks/: every section still runs, and its correctness checks hold.

Tiny sizes and one round each, so the whole file takes a few seconds. No timing is
asserted (the machines are shared and noisy); what is asserted is what the benchmarks
themselves assert before timing: equal gradients against the peer, a new PNG after
every widget change, and a well-formed results table.
"""

import math
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def bench(monkeypatch):
    """Import benchmark modules by name, as run.py does (they are scripts, not a package)."""
    monkeypatch.syspath_prepend(str(BENCH_DIR))
    import importlib

    return importlib.import_module


def needs_micrograd():
    """The engine benchmark compares with micrograd, which only `make test` / `make bench` install."""
    pytest.importorskip("micrograd", reason="micrograd (the [bench] extra) is not installed: make unit runs without it")


def check_rows(rows):
    assert rows
    for r in rows:
        assert {"benchmark", "ours", "peer", "ratio", "ratio_text", "goal", "met", "note"} <= set(r)
        assert r["met"] in (True, False, None)
        assert "FAILED" not in r["benchmark"]


def test_timing_helpers(bench):
    timing = bench("_timing")
    calls = []
    times = timing.interleaved({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, rounds=3, number=2)
    assert {k: len(v) for k, v in times.items()} == {"a": 3, "b": 3}
    assert calls[2:] == ["a", "a", "b", "b", "b", "b", "a", "a", "a", "a", "b", "b"]  # warm-up, then alternating
    assert timing.percentile([1, 2, 3, 4, 5], 50) == 3
    assert timing.percentile([0, 10], 90) == pytest.approx(9.0)
    assert math.isnan(timing.percentile([], 50))
    assert timing.fmt_ms(1234.4) == "1234" and timing.fmt_ms(12.345) == "12.3" and timing.fmt_ms(0.41234) == "0.412"


def test_engine_same_gradients_and_chain(bench):
    needs_micrograd()
    engine = bench("bench_engine")
    rows = engine.run(rounds=1, n_points=4, chain_limit=1500)
    check_rows(rows)
    step, chain = rows
    assert "agree" in step["note"] and step["ratio"] > 0
    assert chain["ours"].startswith("1,500")  # ours handles the longest chain tried...
    assert "RecursionError" in chain["peer"]  # ...micrograd's recursive sort does not


def test_engine_detects_different_gradients(bench):
    needs_micrograd()
    engine = bench("bench_engine")
    from backprop_lessons.data import moons

    X, labels = moons(3, rng=0)
    y = [1.0 if label else -1.0 for label in labels]
    theirs, ours = engine.build_models()
    ours.parameters()[0].data += 0.1  # the models no longer agree
    import micrograd.engine

    from backprop_lessons.autograd import Value

    _, loss_theirs = engine.make_step(theirs, micrograd.engine.Value, X, y)
    _, loss_ours = engine.make_step(ours, Value, X, y)
    with pytest.raises(AssertionError):
        engine.check_same_numbers(theirs, ours, loss_theirs, loss_ours)


def test_layers_same_gradients(bench):
    layers = bench("bench_layers")
    scenarios = [("tiny tanh", [2, 5, 1], "tanh", 8), ("tiny sigmoid", [2, 4, 4, 1], "sigmoid", 8)]
    rows = layers.run(rounds=1, scenarios=scenarios)
    check_rows(rows)
    primary = [r for r in rows if r["met"] is not None]
    assert len(primary) == 2  # one goal row per scenario, against PyTorch or numpy by hand
    assert all("agree" in r["note"] for r in rows)


def test_layers_numpy_step_is_the_same_maths(bench):
    layers = bench("bench_layers")
    X, y = layers.make_data(16)
    _, grads_ours, model = layers.ours_step([2, 3, 3, 1], "sigmoid", X, y)
    _, grads_np = layers.numpy_step(layers.initial_weights(model), "sigmoid", X, y)
    assert layers.max_rel_diff(grads_ours(), grads_np()) < 1e-12
    _, grads_tanh = layers.numpy_step(layers.initial_weights(model), "tanh", X, y)
    assert layers.max_rel_diff(grads_ours(), grads_tanh()) > 1e-3  # a different network is caught


def test_widgets_every_explorer_renders(bench):
    widgets = bench("bench_widgets")
    names = widgets.explorer_names()
    assert {"neuron_explorer", "learning_rate_explorer", "backprop_stepper"} <= set(names)
    rows = widgets.run(changes=1, names=["learning_rate_explorer", "backprop_stepper"], cold=False, boundary=False)
    check_rows(rows)
    labels = " ".join(r["benchmark"] for r in rows)
    assert "naive redraw" in labels and "backprop_stepper" in labels and "browser" in labels
    assert all("1/1 changes gave new PNG bytes" in r["note"] for r in rows if r["benchmark"].startswith("widget: "))


def test_widget_control_values(bench):
    widgets = bench("bench_widgets")
    import ipywidgets

    log = ipywidgets.FloatLogSlider(value=0.1, min=-4, max=1)
    values = widgets.control_values(log, count=6)
    assert values[0] == pytest.approx(1e-4) and values[-1] == pytest.approx(10.0)
    ints = widgets.control_values(ipywidgets.IntSlider(value=3, min=1, max=30), count=10)
    assert ints[0] == 1 and ints[-1] == 30 and len(set(ints)) == len(ints)
    assert widgets.cycled([1, 2, 3], 5, avoid=1) == [2, 3, 1, 2, 3]
    assert widgets.small_network_graph().topological_order()[-1].label == "L"


def test_course_imports_and_notebook_helpers(bench, tmp_path):
    course = bench("bench_course")
    rows = course.run(import_repeats=1, notebooks=[], kernel_only=False, imports=[("backprop_lessons", "")])
    check_rows(rows)
    assert rows[0]["benchmark"] == "course: import backprop_lessons (fresh process)"
    path = course.empty_notebook(tmp_path)
    assert course.code_cells(path) == 1
    course_notebooks = sorted(course.NOTEBOOKS.glob("*.ipynb"))
    assert course_notebooks and all(course.code_cells(p) > 0 for p in course_notebooks)


def test_run_writes_table(bench, tmp_path):
    run = bench("run")
    timing = bench("_timing")
    rows = [
        timing.row("a | b", "1 ms", "2 ms", "2.0x faster", ">= 1x", True, "note a", ratio=2.0),
        timing.row("c", "3 ms", "-", "-", "-", None),
    ]
    table = run.markdown_table(rows)
    assert table.splitlines()[0] == "| benchmark | ours | peer | ratio | goal | met |"
    assert "| a \\| b | 1 ms | 2 ms | 2.0x faster | >= 1x | yes |" in table
    assert run.text_table(rows).count("\n") == 3
    out = tmp_path / "results.md"
    run.write_results(out, rows, run.machine_info(), ["a note"], "quick", ["engine"], run.datetime.datetime.now(), 1.0)
    text = out.read_text()
    assert "## Machine" in text and "CPU:" in text and "Python" in text and "numpy" in text
    assert "**a | b**: note a" in text


def test_run_main_rejects_unknown_section(bench):
    run = bench("run")
    with pytest.raises(SystemExit):
        run.main(["--only", "gpu"])


def test_readme_speed_numbers_are_the_results_file(bench):
    # The README's speed section is generated from benchmarks/results.md; an edit to either
    # alone (or a new `make bench` without the README) fails here.
    speed = bench("readme_speed")
    readme = speed.README.read_text()
    assert speed.readme_section(readme) == speed.expected_section(speed.RESULTS.read_text())


def test_readme_speed_section_names_the_misses(bench):
    speed = bench("readme_speed")
    text = speed.expected_section(
        "Written by `make bench` on 2026-12-01 19:00 UTC in 3 minutes.\n- CPU: Test CPU\n\n"
        "| benchmark | ours | peer | ratio | goal | met |\n|---|---|---|---|---|---|\n"
        "| widget: a_explorer, x | median 10.0 ms | naive: median 300 ms | 30x faster | <= 50 ms median | yes |\n"
        "| widget: b_explorer, y | median 120 ms | naive: median 240 ms | 2x faster | <= 50 ms median | NO |\n"
        "| widget: c_explorer FAILED | TypeError: oops | - | - | - | NO |\n"
        "| widget: d_explorer (cold), trained frame, z.set_state (browser) | median 230 ms | - | - | - | - |\n"
        "| course: all 10 notebooks headless, one after another | 82.1 s | - | - | <= 60 s on 2 cores | NO |\n"
    )
    text = " ".join(text.split())  # the bullets are wrapped at 100 characters
    assert "measured 2026-12-01 on Test CPU" in text
    assert "10–120 ms" in text and "2–30 × faster" in text and "missed by b_explorer 120 ms" in text
    assert "82.1 s (goal <= 60 s on 2 cores: **not met**)" in text
    assert "Not measured in this run (the benchmark failed): c_explorer." in text
    assert "Without a goal (median): d_explorer (cold), trained frame 230 ms." in text  # a note, not a miss
    assert "d_explorer" not in text.split("Without a goal")[0]
    assert "slider to pixels not measured in this run" in text  # no browser rows: said, not skipped
