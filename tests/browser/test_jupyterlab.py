"""Every course notebook in JupyterLab 4, in headless Chromium, as a learner runs it.

For each notebook in notebooks/ (found at collection time): open it, Run All, wait until every code
cell has an execution count, save it (in the server's temporary copy) and check the saved outputs,
the rendered widgets and the browser console. Notebooks with a slider: move the first slider with
the arrow keys and time key-down -> new image in the page (benchmarks/.latency/browser_latency.json).
Notebooks without a slider: change the first dropdown or click the first button of a widget that
shows a picture. Also: the kernel is this venv's Python, widget views do not change values on their
own, no request leaves 127.0.0.1.

Screenshots in tests/artifacts/ (gitignored): <notebook>-lab.png (the whole notebook after Run All),
<notebook>-lab-widget-<cell>.png (each widget output), <notebook>-lab-slider.png / -control.png (the
widget after the test moved it), <notebook>-lab-failed.png (when opening or running failed).

The notebook fixture is module-scoped and parametrized, so pytest runs all tests of one notebook
against one open notebook and one kernel, then closes both before the next notebook. All notebooks
are opened, one after the other, in the same JupyterLab tab (from the file browser, as a learner
does); after a failure JupyterLab is reloaded for the next notebook.
"""

import sys

import pytest
from notebook_page import (
    LAB,
    BrowserTab,
    NotebookPage,
    control_screenshot,
    exercise_other_control,
    exercise_slider,
    first_slider_cell,
    latency_summary,
    material_updates,
    record_latency,
    run_problems,
)
from server_harness import NOTEBOOKS_DIR, course_notebooks

pytestmark = pytest.mark.browser

MIN_LATENCY_SAMPLES = 10
# A dropdown may train a new network on first use (the activation explorer): more time than a slider.
OTHER_CONTROL_TIMEOUT_S = 10.0


@pytest.fixture(scope="module")
def lab_tab(browser_context):
    """One JupyterLab tab for the whole module (loading JupyterLab costs seconds per page load)."""
    tab = BrowserTab(browser_context)
    yield tab
    tab.close()


@pytest.fixture(scope="module", params=course_notebooks())
def lab_notebook(request, jupyter, lab_tab):
    name = request.param
    nb = NotebookPage(lab_tab, jupyter, name, LAB)
    try:
        nb.timed("open", nb.open)
        nb.timed("run all", nb.run_all, jupyter.root / name)
        nb.report.kernels = jupyter.kernel_processes()
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


def test_run_all_executes_every_cell_without_errors(lab_notebook):
    problems = run_problems(lab_notebook.report)
    print(f"{lab_notebook.name}: seconds per phase {lab_notebook.report.timings}")
    assert not problems, (
        f"{lab_notebook.name} in JupyterLab (Run All, {lab_notebook.report.attempts} attempt(s)):\n  "
        + "\n  ".join(problems)
        + f"\nscreenshot: {lab_notebook.report.screenshot}"
    )


def test_kernel_is_this_venvs_python(lab_notebook):
    kernels = lab_notebook.report.kernels
    assert kernels, "no kernel process found under the Jupyter server after Run All"
    for argv in kernels.values():
        assert argv[0] == sys.executable, f"kernel runs {argv[0]}, expected {sys.executable}"


def test_every_widget_renders(lab_notebook):
    problems = lab_notebook.report.widget_problems
    assert not problems, (
        f"{lab_notebook.name}: widgets failed to render in JupyterLab:\n  "
        + "\n  ".join(problems)
        + f"\nscreenshot: {lab_notebook.report.screenshot}"
    )


def test_first_slider_redraws_the_figure(lab_notebook):
    if not lab_notebook.report.finished:
        pytest.skip("Run All did not finish (reported by test_run_all_executes_every_cell_without_errors)")
    result = exercise_slider(lab_notebook.page, LAB, changes=12)
    if result is None:
        pytest.skip("no slider widget in this notebook")
    shot = control_screenshot(lab_notebook.page, result.cell_index, lab_notebook.name, LAB)
    assert result.image_changed, (
        f"moving the first slider (cell {result.cell_index}; readout went {result.values}) did not change "
        f"the widget's image within 5 s; see {shot}"
    )
    assert len(result.latencies_ms) >= MIN_LATENCY_SAMPLES, (
        f"only {len(result.latencies_ms)} of 12 slider changes redrew the image within 5 s "
        f"(readout: {result.values}); see {shot}"
    )
    summary = latency_summary(result.latencies_ms)
    record_latency(lab_notebook.name, summary, "jupyterlab", NOTEBOOKS_DIR)
    print(f"{lab_notebook.name}: slider-to-pixels in JupyterLab {summary}")


def test_widget_without_slider_responds(lab_notebook):
    """Explorers driven by dropdowns or buttons (the stepper, the activation explorer) redraw too."""
    if not lab_notebook.report.finished:
        pytest.skip("Run All did not finish (reported by test_run_all_executes_every_cell_without_errors)")
    if first_slider_cell(lab_notebook.page) is not None:
        pytest.skip("this notebook has a slider (test_first_slider_redraws_the_figure)")
    result = exercise_other_control(lab_notebook.page, timeout_s=OTHER_CONTROL_TIMEOUT_S)
    if result is None:
        pytest.skip("no widget with a picture and a dropdown or button in this notebook")
    cell, what, ms = result
    shot = control_screenshot(lab_notebook.page, cell, lab_notebook.name, LAB, "control")
    assert ms is not None, (
        f"cell {cell}: {what}, and the widget's image did not change within {OTHER_CONTROL_TIMEOUT_S:.0f} s; see {shot}"
    )
    print(f"{lab_notebook.name}: cell {cell}: {what}: image changed after {ms:.0f} ms")


def test_widgets_do_not_change_their_own_values(lab_notebook):
    """Displaying a widget must not change it: the live explorer must show what the text describes."""
    updates, noise = material_updates(lab_notebook.report.widget_self_updates)
    if noise:
        # not a failure: the value is the same to 12 digits, only the picture is drawn once more
        print(f"float-noise write-backs (explorer redrawn for nothing): {noise}")
    assert not updates, (
        f"{lab_notebook.name}: widget views in JupyterLab sent new values to the kernel before anyone touched "
        "a control (e.g. a FloatLogSlider snaps an off-grid value such as 0.3 to 0.316 and writes it "
        "back, re-running the explorer):\n  " + "\n  ".join(updates)
    )


def test_browser_console_has_no_errors(lab_notebook):
    # Last on purpose: it also sees what the slider test provoked.
    errors = lab_notebook.console_errors()
    assert not errors, f"{lab_notebook.name}: browser console errors in JupyterLab:\n  " + "\n  ".join(errors)


def test_no_request_leaves_the_machine(lab_notebook):
    """The course runs offline: no page asks for anything but the local server (blocked if it did)."""
    urls = sorted(set(lab_notebook.external_requests))
    assert not urls, f"{lab_notebook.name}: requests to other hosts from JupyterLab (blocked):\n  " + "\n  ".join(urls)
