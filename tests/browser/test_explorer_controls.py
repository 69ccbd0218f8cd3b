"""Every control of every explorer, in JupyterLab 4 and Notebook 7, at 1400 and 900 px wide.

One generated notebook holds every explorer (one per cell, the way the course notebooks make them), so a
front-end and window size costs one page load and one Run All instead of ten. For each control the test
acts as a learner does and times action -> new picture in the page:
  sliders    -- click the handle (it takes focus), press ArrowRight (ArrowLeft at the top end); the
                readout must change, and the notebook's selected cell must NOT move (the Notebook 7 bug
                that backprop_lessons/_jupyter.py's shortcut override fixes);
  dropdowns  -- choose another option;  checkboxes -- click;  buttons -- click (Keep, Clear, Next, Back, Reset).
Also: the controls of an explorer do not stick out of its cell, and at 900 px no text in a picture is
drawn below ~9 px (the pictures are drawn compact for narrow windows, see widgets/_canvas.py).

A second test saves a course notebook after Run All (as JupyterLab's autosave does), shuts its kernel
down, reopens it and checks that every explorer shows its static picture, not "Error displaying widget:
model not found" (the server's pre-save hook, backprop_lessons/_jupyter.py).

Timings go to benchmarks/.latency/controls.json (read by benchmarks/bench_widgets.py); screenshots to
tests/artifacts/controls-<frontend>-<width>-<cell>.png and reopen-<frontend>.png.
"""

import json
import statistics
import time
from pathlib import Path

import nbformat
import pytest
from notebook_page import ARTIFACTS, LAB, NOTEBOOK7, BrowserTab, NotebookPage

pytestmark = pytest.mark.browser

NOTEBOOK = "explorers.ipynb"
# (source line, short name): every explorer the course uses, as the notebooks create them
EXPLORERS = [
    ("neuron_explorer()", "neuron"),
    ("fit_explorer()", "fit"),
    ("learning_rate_explorer(lr=0.3, epochs=30)", "learning_rate"),
    ("activation_explorer(dataset='moons')", "activation"),
    ("gradient_flow_explorer(depth=10)", "gradient_flow"),
    ("optimizer_race(surface='ravine', lr=0.1, steps=150)", "optimizer_race"),
    ("generalization_explorer(n=30)", "generalization"),
    ("backprop_stepper(L)", "stepper"),
    ("backprop_stepper(E_neuron)", "stepper_wide"),
]
SETUP = """from backprop_lessons.autograd import Value
from backprop_lessons.widgets import (activation_explorer, backprop_stepper, fit_explorer, generalization_explorer,
    gradient_flow_explorer, learning_rate_explorer, neuron_explorer, optimizer_race)
# notebook 03's graph: 607 px wide, shrinks to fit a 468 px output (its text stays >= 9 px)
a, b, c, f = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c"), Value(-2.0, label="f")
e = a * b; e.label = "e"
d = e + c; d.label = "d"
L = d * f; L.label = "L"
# notebook 04's neuron: 13 columns of nodes, already at 9 px text at 810 px; only its picture may scroll sideways
x1, x2, y_n = Value(1.5, label="x1"), Value(-0.5, label="x2"), Value(1.0, label="y")
w1, w2, b0 = Value(0.8, label="w1"), Value(-0.4, label="w2"), Value(0.1, label="b")
p1 = w1 * x1; p1.label = "p1"
p2 = w2 * x2; p2.label = "p2"
s = p1 + p2; s.label = "s"
z = s + b0; z.label = "z"
act = z.tanh(); act.label = "a"
err = act - y_n; err.label = "err"
E_neuron = err ** 2; E_neuron.label = "E"
"""
WIDTHS = (1400, 900)
MIN_TEXT_PX = 9.0
SMALLEST_FONT_PX = 8.5 * 90 / 72  # the smallest text the explorers draw ("small" at 10 pt, 90 dpi)
SMALLEST_FONT_PX_STEPPER = 10 * 90 / 72  # the stepper's graph: node and op texts at 10 pt (words are HTML)
LATENCY_FILE = Path(__file__).resolve().parents[2] / "benchmarks" / ".latency" / "controls.json"
# A control that trains a network on first use (activation, generalization, the gradient-flow heat map)
TIMEOUT_MS = 15_000
SLIDER_TIMEOUT_MS = 5_000  # a slider change trains nothing new for long: fail fast


def write_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP)] + [nbformat.v4.new_code_cell(src) for src, _ in EXPLORERS]
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}}
    nbformat.write(nb, path)


_PROBE = """
(cellIndex) => {
    const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[cellIndex];
    const output = cell.querySelector('.jp-OutputArea');
    const img = () => output.querySelector('img');
    // the picture, or (a control that changes no pixel, e.g. clipping when nothing is clipped) the status line
    const look = () => Array.from(output.querySelectorAll('img')).map(i => i.getAttribute('src')).join('|') + '|' +
        Array.from(output.querySelectorAll('.widget-html')).map(h => h.innerText).join('|');
    const probe = {t0: null, t1: null, src: look()};
    window.__ctl = probe;
    const start = () => { probe.t0 = performance.now(); probe.t1 = null; probe.src = look(); };
    for (const type of ['keydown', 'change', 'click']) output.addEventListener(type, start, true);
    new MutationObserver(() => {
        if (probe.t0 !== null && probe.t1 === null && look() !== probe.src) probe.t1 = performance.now();
    }).observe(output, {subtree: true, childList: true, characterData: true, attributes: true});
    return img() !== null;
}
"""

_CONTROLS = r"""
(cellIndex) => {
    const out = document.querySelectorAll('.jp-Notebook .jp-Cell')[cellIndex].querySelector('.jp-OutputArea');
    const found = [];
    const controls = '.widget-slider, .widget-dropdown, .widget-checkbox, button.jupyter-button';
    out.querySelectorAll(controls).forEach((el, i) => {
        const kind = el.matches('button') ? 'button' : el.matches('.widget-slider') ? 'slider'
            : el.matches('.widget-dropdown') ? 'dropdown' : 'checkbox';
        const text = (el.innerText || '').split('\n')[0].replace(/[\u200b]/g, '').trim() || kind;
        found.push({kind, text, index: i});
    });
    return found;
}
"""

_LAYOUT = """
(cellIndex) => {
    const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[cellIndex];
    const out = cell.querySelector('.jp-OutputArea-output');
    const imgs = Array.from(out.querySelectorAll('img'));
    const box = out.getBoundingClientRect();
    let overflow = 0;  // controls sticking out of the cell
    out.querySelectorAll('.widget-hbox, .widget-slider, .widget-dropdown, .widget-checkbox, button').forEach(w => {
        const r = w.getBoundingClientRect();
        overflow = Math.max(overflow, r.right - box.right);
    });
    const root = out.querySelector('.widget-vbox');  // the explorer: scrolls sideways if a piece is too wide
    const tops = new Set(imgs.map(i => Math.round(i.getBoundingClientRect().top)));
    const picture = imgs.length ? imgs[0].parentElement : root;  // the row of pieces
    return {scale: Math.min(...imgs.map(i => i.clientWidth / i.naturalWidth)),
            natural: imgs.map(i => i.naturalWidth), shown: imgs.map(i => i.clientWidth),
            output: Math.round(box.width), sideways: root.scrollWidth - root.clientWidth,
            picture_sideways: picture.scrollWidth - picture.clientWidth,
            rows: tops.size, overflow};
}
"""


def _active_cell(page):
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'))"
        ".findIndex(c => c.classList.contains('jp-mod-active'))"
    )


def _wait_changed(page, timeout_ms=TIMEOUT_MS):
    try:
        page.wait_for_function("() => window.__ctl.t1 !== null", timeout=timeout_ms)
    except Exception:
        return None
    return page.evaluate("() => window.__ctl.t1 - window.__ctl.t0")


def _settle(page, quiet_s=0.3):
    """Give a change time to bring its last frame before the next control is touched."""
    time.sleep(quiet_s)


def exercise_controls(page, cell_index):
    """Act on every control of the explorer in cell `cell_index`: [(control, ms or None, problem or '')]."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(cell_index)
    cell.scroll_into_view_if_needed()
    assert page.evaluate(_PROBE, cell_index), f"cell {cell_index}: no picture"
    results = []
    controls = page.evaluate(_CONTROLS, cell_index)
    out = cell.locator(".jp-OutputArea").first
    elements = out.locator(".widget-slider, .widget-dropdown, .widget-checkbox, button.jupyter-button")
    # a button disabled at first (the stepper's Back at step 0) is tried right after the first
    # enabled button (Next), which enables it; then that button once more, so that the buttons
    # after it (Reset) have something to undo
    disabled = [c for c in controls if c["kind"] == "button" and elements.nth(c["index"]).is_disabled()]
    enabled = [c for c in controls if c not in disabled]
    first = next((i for i, c in enumerate(enabled) if c["kind"] == "button"), len(enabled) - 1)
    again = [enabled[first]] if disabled else []
    controls = enabled[: first + 1] + disabled + again + enabled[first + 1 :]
    for c in controls:
        el = elements.nth(c["index"])
        el.scroll_into_view_if_needed()
        problem = ""
        if c["kind"] == "slider":
            handle = el.locator(".noUi-handle").first
            readout = el.locator(".widget-readout").first
            handle.click()
            active = _active_cell(page)
            before = readout.inner_text()
            key = "ArrowRight"
            handle.press(key)
            ms = _wait_changed(page, SLIDER_TIMEOUT_MS)
            after = readout.inner_text()
            if after == before:  # at the top end: go the other way
                key = "ArrowLeft"
                handle.press(key)
                ms = _wait_changed(page, SLIDER_TIMEOUT_MS)
                after = readout.inner_text()
            if after == before:
                problem = f"{key} did not move the slider (readout stayed {before!r})"
            elif _active_cell(page) != active:
                problem = f"{key} also moved the notebook's selected cell ({active} -> {_active_cell(page)})"
        elif c["kind"] == "dropdown":
            select = el.locator("select").first
            options = select.locator("option").all_inner_texts()
            current = select.evaluate("s => s.options[s.selectedIndex].textContent")
            select.select_option(label=next(o for o in options if o != current))
            ms = _wait_changed(page)
        elif c["kind"] == "checkbox":
            el.locator("input").first.click()
            ms = _wait_changed(page)
        else:
            if el.is_disabled():
                results.append((c["text"], None, "skipped: disabled"))
                continue
            el.click()
            ms = _wait_changed(page)
        if ms is None and not problem:
            problem = f"the picture did not change within {TIMEOUT_MS / 1000:.0f} s"
        results.append((f"{c['kind']} {c['text']}", ms, problem))
        _settle(page)
    return results


def _record(key, results):
    LATENCY_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(LATENCY_FILE.read_text())
    except (OSError, ValueError):
        data = {}
    for control, ms, _ in results:
        if ms is not None:
            data.setdefault(f"{key}:{control}", []).append(round(ms, 1))
            data[f"{key}:{control}"] = data[f"{key}:{control}"][-20:]
    data["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    LATENCY_FILE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


@pytest.fixture(scope="module")
def explorers_notebook(jupyter):
    write_notebook(jupyter.root / NOTEBOOK)
    return NOTEBOOK


@pytest.mark.parametrize("frontend", [LAB, NOTEBOOK7])
@pytest.mark.parametrize("width", WIDTHS)
def test_every_control_of_every_explorer(frontend, width, browser, jupyter, explorers_notebook):
    # JupyterLab below ~1000 px folds the notebook toolbar (kernel name, Run menu state) that the
    # harness waits on: open and run at 1400 px, then narrow the window, as a learner may.
    start_width = 1400 if frontend == LAB else width
    context = browser.new_context(viewport={"width": start_width, "height": 900})
    tab = BrowserTab(context)
    nb = NotebookPage(tab, jupyter, explorers_notebook, frontend)
    problems, timings, layouts = [], {}, {}
    try:
        nb.open()
        nb.run_all(jupyter.root / explorers_notebook)
        assert nb.report.finished, f"Run All did not finish: {nb.report.problem}"
        assert not nb.wait_widgets_rendered(), nb.report.widget_problems
        if start_width != width:
            nb.page.set_viewport_size({"width": width, "height": 900})
            time.sleep(1.0)
        for i, (_, name) in enumerate(EXPLORERS, start=1):
            layout = nb.page.evaluate(_LAYOUT, i)
            if layout["overflow"] > 1:
                problems.append(f"{name}: controls stick out of the cell by {layout['overflow']:.0f} px")
            # The pieces of a picture sit side by side when the cell is wide enough and stack when
            # not; the stepper's graph (one piece) shrinks down to 9 px text, and scrolls beyond that.
            if layout["sideways"] > 1 or (name != "stepper_wide" and layout["picture_sideways"] > 1):
                problems.append(
                    f"{name}: scrolls sideways by {max(layout['sideways'], layout['picture_sideways'])} px "
                    f"(pieces {layout['natural']} px, "
                    f"output {layout['output']} px)"
                )
            if width == 1400 and layout["rows"] != 1:
                problems.append(f"{name}: pieces stacked in a wide window ({layout['output']} px)")
            layouts[name] = layout
            stepper = name.startswith("stepper")
            smallest = (SMALLEST_FONT_PX_STEPPER if stepper else SMALLEST_FONT_PX) * layout["scale"]
            if smallest < MIN_TEXT_PX:
                problems.append(
                    f"{name}: picture shown at {layout['shown']} of {layout['natural']} px: "
                    f"its smallest text is {smallest:.1f} px (< {MIN_TEXT_PX:g})"
                )
            results = exercise_controls(nb.page, i)
            _record(f"{frontend}:{width}:{name}", results)
            for control, ms, problem in results:
                timings[f"{name}: {control}"] = ms
                if problem and not problem.startswith("skipped"):
                    problems.append(f"{name}: {control}: {problem}")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            nb.page.locator(".jp-Notebook .jp-Cell").nth(i).screenshot(
                path=str(ARTIFACTS / f"controls-{frontend}-{width}-{name}.png")
            )
        problems += nb.console_errors()
    finally:
        jupyter.shutdown_kernels()
        tab.close()
        context.close()
    measured = [ms for ms in timings.values() if ms is not None]
    print(
        f"{frontend} {width} px: {len(measured)} controls, median {statistics.median(measured):.0f} ms, "
        f"max {max(measured):.0f} ms\n"
        + "\n".join(f"  {k}: {v}" for k, v in timings.items())
        + "\n"
        + "\n".join(f"  layout {k}: {v}" for k, v in layouts.items())
    )
    assert not problems, f"{frontend} at {width} px:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("frontend", [LAB, NOTEBOOK7])
def test_saved_and_reopened_notebook_shows_the_pictures(frontend, browser, jupyter):
    """Run All, save (what autosave does), shut the kernel down, reopen: pictures, no 'model not found'."""
    name = "05_learning_rate.ipynb"
    if not (jupyter.root / name).exists():
        pytest.skip(f"notebooks/{name} does not exist")
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = BrowserTab(context)
    try:
        nb = NotebookPage(tab, jupyter, name, frontend)
        nb.open()
        nb.run_all(jupyter.root / name)
        assert nb.report.finished, nb.report.problem
        nb.wait_widgets_rendered()
        live = nb.page.locator(".jp-OutputArea .widget-slider").count()
        assert live, "no live explorer after Run All"
        saved = nb.save_and_read()
        assert saved is not None, "could not save"
        views = [
            o
            for c in saved.cells
            if c.cell_type == "code"
            for o in c.outputs
            if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
            and "backprop_lessons" in o.get("metadata", {})
        ]
        jupyter.shutdown_kernels()
        tab.page.goto("about:blank")
        tab.app_loaded = False
        reopened = NotebookPage(tab, jupyter, name, frontend)
        reopened.open()

        # the explorer cells (they were saved with a live view): scroll each into view, so that
        # JupyterLab's windowed notebook renders it, and look at what it shows
        def fallback(o):
            return (o.get("metadata", {}).get("backprop_lessons") or {}).get("fallback")

        # explorers fall back to their picture; reviews and predictions to their text (no picture)
        cells = [
            i
            for i, c in enumerate(saved.cells)
            if c.cell_type == "code" and any(fallback(o) == "image/png" for o in c.outputs)
        ]
        text_cells = [
            i
            for i, c in enumerate(saved.cells)
            if c.cell_type == "code" and any(fallback(o) == "text/plain" for o in c.outputs)
        ]
        cells = cells or [
            i
            for i, c in enumerate(saved.cells)
            if c.cell_type == "code"
            and any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in c.outputs)
        ]
        assert cells, "no explorer output in the saved notebook"
        problems, pictures = [], 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for k, i in enumerate(cells):
            cell = reopened.page.locator(".jp-Notebook .jp-Cell").nth(i)
            cell.scroll_into_view_if_needed()
            time.sleep(0.5)
            problems += reopened.widget_problems()
            pictures += cell.evaluate(
                "c => Array.from(c.querySelectorAll('.jp-OutputArea-output img'))"
                ".filter(i => i.naturalWidth >= 700).length"
            )
            cell.screenshot(path=str(ARTIFACTS / f"reopen-{frontend}-{k}.png"))
        for i in text_cells:  # a review or a prediction: its questions as text, no widget error
            cell = reopened.page.locator(".jp-Notebook .jp-Cell").nth(i)
            cell.scroll_into_view_if_needed()
            time.sleep(0.3)
            problems += reopened.widget_problems()
            text = cell.locator(".jp-OutputArea").inner_text()
            assert "run the notebook to answer" in text, f"{frontend}: cell {i} shows {text[:120]!r} after reopening"
        assert not problems, f"{frontend}: after save and reopen: {sorted(set(problems))}"
        assert not views, f"{len(views)} explorer outputs were saved with their live-widget view"
        assert pictures == len(cells), f"{frontend}: {pictures} of {len(cells)} explorer pictures shown after reopening"
    finally:
        jupyter.shutdown_kernels()
        tab.close()
        context.close()


_DIRTY = """() => {
    // JupyterLab: the document's tab; Notebook 7: the checkpoint line says "(unsaved changes)"
    if (document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')) return true;
    const title = document.querySelector('#jp-top-panel, .jp-NotebookCheckpoint, #top-panel');
    return !!(title && /unsaved/i.test(title.innerText || ''));
}"""


@pytest.mark.parametrize("frontend", [LAB, NOTEBOOK7])
def test_a_cleaned_notebook_opens_unmodified(frontend, browser, jupyter):
    """tests/notebook_tools.py clean() stores the metadata JupyterLab would store: opening marks nothing modified."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from notebook_tools import clean

    source = jupyter.root / "01_forward_pass.ipynb"
    if not source.exists():
        pytest.skip("notebooks/01_forward_pass.ipynb does not exist")
    name = "clean-check.ipynb"
    nbformat.write(clean(nbformat.read(source, as_version=4)), jupyter.root / name)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = BrowserTab(context)
    try:
        nb = NotebookPage(tab, jupyter, name, frontend)
        nb.open()
        time.sleep(2.0)  # the kernel's info reply arrives after "idle"
        dirty = nb.page.evaluate(_DIRTY)
    finally:
        jupyter.shutdown_kernels()
        tab.close()
        context.close()
    assert not dirty, f"{frontend} marks a freshly cleaned notebook as modified on opening"
