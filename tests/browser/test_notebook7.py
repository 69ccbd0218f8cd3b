"""The learning-rate notebook in Notebook 7 (the classic-looking interface many learners use).

Same checks as in JupyterLab (Run All finishes without unexpected errors, widgets render, no console
errors, no self-changing widgets, no request leaving 127.0.0.1), plus the slider driven with the arrow keys
(upstream Notebook 7 takes them for its command-mode shortcuts; the course's shortcut override,
backprop_lessons/_jupyter.py, gives them back to a focused slider).
Also: Notebook 7's /tree page lists every notebook. Screenshots: tests/artifacts/05_learning_rate-
notebook7*.png.
"""

import pytest
from notebook_page import (
    NOTEBOOK7,
    BrowserTab,
    NotebookPage,
    control_screenshot,
    exercise_slider,
    latency_summary,
    material_updates,
    record_latency,
    run_problems,
)
from server_harness import NOTEBOOKS_DIR

pytestmark = pytest.mark.browser

NOTEBOOK = "05_learning_rate.ipynb"
MIN_LATENCY_SAMPLES = 10


@pytest.fixture(scope="module")
def nb7_notebook(jupyter, browser_context):
    if not (jupyter.root / NOTEBOOK).exists():
        pytest.skip(f"notebooks/{NOTEBOOK} does not exist yet")
    nb = NotebookPage(BrowserTab(browser_context), jupyter, NOTEBOOK, NOTEBOOK7)
    try:
        nb.timed("open", nb.open)
        nb.timed("run all", nb.run_all, jupyter.root / NOTEBOOK)
        nb.timed("save", nb.save_and_read)
        nb.timed("widgets", nb.wait_widgets_rendered)
        nb.timed("screenshots", nb.screenshot, "", True)
        # before any test touches a control: values the widget views changed on their own
        nb.report.widget_self_updates = list(nb.tab.widget_updates)
    except Exception:
        try:
            nb.screenshot(suffix="-failed")
        finally:
            nb.finish(ok=False)
            jupyter.shutdown_kernels()
        raise
    yield nb
    nb.finish()
    jupyter.shutdown_kernels()


def test_tree_page_lists_the_course(jupyter, browser_context):
    """Notebook 7's file browser (/tree), where `jupyter notebook` starts, shows every notebook."""
    tab = BrowserTab(browser_context)  # blocks requests to other hosts, like every test page
    try:
        tab.page.goto(jupyter.url("/tree"), wait_until="domcontentloaded", timeout=60_000)
        tab.page.wait_for_selector(".jp-DirListing-item", timeout=60_000)
        listed = set(
            tab.page.eval_on_selector_all(".jp-DirListing-itemText", "els => els.map(e => e.textContent.trim())")
        )
    finally:
        tab.close()
    expected = {p.name for p in jupyter.root.glob("*.ipynb")}
    assert expected <= listed, f"/tree does not list {sorted(expected - listed)}"


def test_run_all_executes_every_cell_without_errors(nb7_notebook):
    problems = run_problems(nb7_notebook.report)
    print(f"{nb7_notebook.name}: seconds per phase {nb7_notebook.report.timings}")
    assert not problems, (
        f"{NOTEBOOK} in Notebook 7 (Run All, {nb7_notebook.report.attempts} attempt(s)):\n  "
        + "\n  ".join(problems)
        + f"\nscreenshot: {nb7_notebook.report.screenshot}"
    )


def test_every_widget_renders(nb7_notebook):
    problems = nb7_notebook.report.widget_problems
    assert not problems, (
        f"{NOTEBOOK}: widgets failed to render in Notebook 7:\n  "
        + "\n  ".join(problems)
        + f"\nscreenshot: {nb7_notebook.report.screenshot}"
    )


def test_slider_arrow_keys_redraw_the_figure(nb7_notebook):
    if not nb7_notebook.report.finished:
        pytest.skip("Run All did not finish (reported by test_run_all_executes_every_cell_without_errors)")
    result = exercise_slider(nb7_notebook.page, NOTEBOOK7, changes=12)
    assert result is not None, f"{NOTEBOOK} shows no slider widget in Notebook 7"
    shot = control_screenshot(nb7_notebook.page, result.cell_index, NOTEBOOK, NOTEBOOK7)
    assert result.image_changed, (
        f"pressing the arrow keys on the first slider (readout went {result.values}) did not change the "
        f"widget's image within 5 s; see {shot}"
    )
    assert len(result.latencies_ms) >= MIN_LATENCY_SAMPLES, (
        f"only {len(result.latencies_ms)} of 12 key presses redrew the image within 5 s "
        f"(readout: {result.values}); see {shot}"
    )
    summary = latency_summary(result.latencies_ms)
    record_latency(f"notebook7:{NOTEBOOK}", summary, "notebook7", NOTEBOOKS_DIR)
    print(f"{NOTEBOOK}: slider-to-pixels in Notebook 7 {summary}")


def test_widgets_do_not_change_their_own_values(nb7_notebook):
    """Displaying a widget must not change it: the live explorer must show what the text describes."""
    updates, noise = material_updates(nb7_notebook.report.widget_self_updates)
    if noise:
        # not a failure: the value is the same to 12 digits, only the picture is drawn once more
        print(f"float-noise write-backs (explorer redrawn for nothing): {noise}")
    assert not updates, (
        f"{NOTEBOOK}: widget views in Notebook 7 sent new values to the kernel before anyone touched "
        "a control (e.g. a FloatLogSlider snaps an off-grid value such as 0.3 to 0.316 and writes it "
        "back, re-running the explorer):\n  " + "\n  ".join(updates)
    )


def test_browser_console_has_no_errors(nb7_notebook):
    errors = nb7_notebook.console_errors()
    assert not errors, f"{NOTEBOOK}: browser console errors in Notebook 7:\n  " + "\n  ".join(errors)


def test_no_request_leaves_the_machine(nb7_notebook):
    """The course runs offline: no page asks for anything but the local server (blocked if it did)."""
    urls = sorted(set(nb7_notebook.external_requests))
    assert not urls, f"{NOTEBOOK}: requests to other hosts from Notebook 7 (blocked):\n  " + "\n  ".join(urls)
