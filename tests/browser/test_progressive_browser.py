"""A new activation pair chosen in the browser: a first frame at once, then the network learning, then the result.

The kernel side is tested in tests/test_progressive.py (``set_state``, what a comm message does);
here a real JupyterLab page proves that a learner's pick in the dropdown takes that path: the status
line first says "training… epoch 0 of 300", later the trained network's accuracy, and the frames
pushed from the kernel's background thread reach the page. Times (pick -> first frame, pick ->
trained frame) are printed, the first also goes to benchmarks/.latency/controls.json; none is asserted.
"""

import json
import time
from pathlib import Path

import nbformat
import pytest
from notebook_page import LAB, BrowserTab, NotebookPage

pytestmark = pytest.mark.browser

NOTEBOOK = "progressive.ipynb"
# (relu, moons) is forgotten after the background thread trained every pair: a first visit.
SETUP = """from backprop_lessons.widgets import activation_explorer
ex = activation_explorer(dataset="moons", activation="tanh")
ex.wait_precomputed()
ex.cache.pop(("relu", "moons"))
ex"""
LATENCY_FILE = Path(__file__).resolve().parents[2] / "benchmarks" / ".latency" / "controls.json"

# Every status line the page shows after the pick, with the time since the pick.
_WATCH = """
() => {
    const out = document.querySelectorAll('.jp-Notebook .jp-Cell')[0].querySelector('.jp-OutputArea');
    const status = () => Array.from(out.querySelectorAll('.widget-html')).map(h => h.innerText).join('|');
    const watch = {t0: null, seen: []};
    window.__watch = watch;
    new MutationObserver(() => {
        const text = status();
        if (watch.t0 !== null && (watch.seen.length === 0 || watch.seen[watch.seen.length - 1].text !== text))
            watch.seen.push({ms: performance.now() - watch.t0, text});
    }).observe(out, {subtree: true, childList: true, characterData: true});
}
"""


def test_a_new_pair_picked_in_the_browser_shows_training_frames_then_the_trained_network(browser, jupyter):
    nb_path = jupyter.root / NOTEBOOK
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP)]
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}}
    nbformat.write(nb, nb_path)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = BrowserTab(context)
    page = NotebookPage(tab, jupyter, NOTEBOOK, LAB)
    try:
        page.open()
        page.run_all(nb_path)
        assert page.report.finished, f"Run All did not finish: {page.report.problem}"
        assert not page.wait_widgets_rendered(), page.report.widget_problems
        p = page.page
        p.evaluate(_WATCH)
        select = p.locator(".jp-Notebook .jp-Cell").nth(0).locator(".widget-dropdown select").first
        # The new pair first: the pick of a trained one would queue it for the background thread.
        seen = pick(p, select, "relu", "relu on moons: train accuracy")
        warm = pick(p, select, "tanh", "tanh on moons: train accuracy")  # trained already: the round trip
    finally:
        jupyter.shutdown_kernels()
        tab.close()
        context.close()
    texts = [s["text"] for s in seen]
    print("\n  a new pair:\n" + "\n".join(f"  {s['ms']:7.1f} ms  {s['text'][:70]}" for s in seen))
    print(f"  then a trained pair: {warm[-1]['ms']:.1f} ms to its picture")
    assert "relu on moons: training… epoch 0 of 300" in texts[0], texts
    assert "relu on moons: train accuracy" in texts[-1], texts
    assert all(t.startswith("relu on moons: ") for t in texts), texts
    _record("activation: dropdown activation, a new pair (first frame)", seen[0]["ms"])  # the goal: <= 150 ms


def pick(page, select, activation, final):
    """Choose ``activation`` in the dropdown as a learner does; the status lines seen until ``final``."""
    page.evaluate("() => { window.__watch.t0 = performance.now(); window.__watch.seen = []; }")
    select.select_option(value=select.locator("option", has_text=activation).first.get_attribute("value"))
    page.wait_for_function(f"() => window.__watch.seen.some(s => s.text.includes({final!r}))", timeout=60_000)
    return page.evaluate("() => window.__watch.seen")


def _record(control, ms):
    """Into controls.json, which benchmarks/bench_widgets.py reports (the trained frame has no goal: printed only)."""
    LATENCY_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(LATENCY_FILE.read_text())
    except (OSError, ValueError):
        data = {}
    key = f"lab:1400:{control}"
    data[key] = [*data.get(key, []), round(ms, 1)][-20:]
    data["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    LATENCY_FILE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
