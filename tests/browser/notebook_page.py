"""Drive one notebook in JupyterLab 4 or Notebook 7 with Playwright: open, Run All, inspect, measure.

Both frontends are built from the same JupyterLab components (menus, notebook toolbar with kernel
name and execution indicator, cells, prompts), so the selectors are shared; only the URLs differ.
Widget selectors are ipywidgets 8's (.widget-slider .noUi-handle, .widget-readout, img.widget-image).
"""

import json
import math
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

LAB, NOTEBOOK7 = "lab", "notebook7"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

WIDGET_ERROR_TEXTS = ("Error displaying widget", "Error rendering widget")
WIDGET_LOADING_TEXTS = ("Loading widget",)  # ipywidgets 8 writes "Loading widget..."
# Lumino command ids of the menu items (the Run menu's own id first, the notebook's as fallback).
RUN_ALL_COMMANDS = ("runmenu:run-all", "notebook:run-all-cells")
SAVE_COMMANDS = ("docmanager:save",)
PROMPT_NUMBER = re.compile(r"^\[(\d+)\]:?$")
# Every request that is not to the test's own server (or an in-page data:/blob: URL): the course
# must work offline, and a test must never reach the internet. Such requests are aborted and listed.
EXTERNAL_REQUEST = re.compile(r"^(?!http://127\.0\.0\.1[:/]|data:|blob:|about:)")

# Console errors that are not the course's fault, per frontend, each with the reason we may ignore
# it. Keep this short: every entry hides something. Each was seen on a page with no course content.
HARMLESS_CONSOLE_ERRORS = {
    LAB: [],
    NOTEBOOK7: [
        (
            r"^Cannot read properties of undefined \(reading 'schema'\) at \S*/static/notebook/notebook_core\.",
            "Notebook 7.6's keyboard-shortcuts plugin reads the settings schema of a plugin Notebook does "
            "not load; thrown once on every Notebook 7 page, /tree included, with no notebook open",
        ),
    ],
}


@dataclass
class RunReport:
    """What happened when a notebook was run in the browser (filled by NotebookPage.run_all)."""

    name: str
    frontend: str
    finished: bool = False
    seconds: float = 0.0
    attempts: int = 0
    expected_cells: int = 0
    prompts: list = field(default_factory=list)
    problem: str = ""
    saved: object = None  # the notebook as saved by the frontend after the run (nbformat node)
    screenshot: Path = None
    widget_problems: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    kernels: dict = field(default_factory=dict)  # pid -> argv of the kernel(s) after Run All
    widget_self_updates: list = field(default_factory=list)  # values views wrote back untouched
    timings: dict = field(default_factory=dict)  # phase -> seconds


def code_cells_to_run(path):
    """How many code cells a Run All executes (empty cells are skipped by Lab and nbclient alike)."""
    nb = nbformat.read(path, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())


class BrowserTab:
    """One browser page and what it reported: console errors, page errors, blocked requests.

    JupyterLab tests reuse one tab for every notebook (open from the file browser, close all tabs
    afterwards): loading the Lab application costs seconds of CPU per page load.
    """

    def __init__(self, context):
        self.page = context.new_page()
        self.console = []
        self.external_requests = []
        self.app_loaded = False  # JupyterLab loaded and usable for the next notebook
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_pageerror)
        self.page.route(EXTERNAL_REQUEST, self._block_external)
        self.widget_updates = []  # state changes the page sent to a kernel (see _on_frame_sent)
        self.page.on("websocket", lambda ws: ws.on("framesent", self._on_frame_sent))

    def reset_reports(self):
        self.console, self.external_requests, self.widget_updates = [], [], []

    def _on_frame_sent(self, payload):
        """Remember widget state the frontend sends to the kernel ("update" comm messages).

        Until the test touches a control, there should be none: a view that writes a value back
        on display (e.g. a FloatLogSlider snapping 0.3 to its grid, 0.316) silently re-runs the
        explorer with a value the notebook's text does not show.
        """
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        if '"comm_msg"' not in text or '"update"' not in text:
            return
        for m in re.finditer(r'"method":\s*"update",\s*"state":\s*(\{[^{}]*\})', text):
            self.widget_updates.append(m.group(1)[:200])
        if not re.search(r'"method":\s*"update",\s*"state"', text):
            # keys in another order: keep the message's data part
            m = re.search(r'"data":\s*(\{.{0,200})', text)
            self.widget_updates.append(m.group(1) if m else text[:200])

    def _block_external(self, route):
        self.external_requests.append(route.request.url)
        route.abort()

    def _on_pageerror(self, err):
        # message + the first frame of the stack, so harmless upstream errors can be told apart
        frames = [ln.strip() for ln in (err.stack or "").splitlines()[1:2]]
        self.console.append(("pageerror", " ".join([err.message, *frames])))

    def _on_console(self, msg):
        if msg.type == "error":
            loc = msg.location or {}
            where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc.get("url") else ""
            self.console.append(("console.error", msg.text + where))

    def close(self):
        try:
            self.page.close()
        except Exception:
            pass


class NotebookPage:
    """One notebook open in a browser tab (JupyterLab: a reused tab; Notebook 7: a tab of its own)."""

    def __init__(self, tab, server, name, frontend=LAB):
        self.tab, self.page = tab, tab.page
        self.server, self.name, self.frontend = server, name, frontend
        self.report = RunReport(name=name, frontend=frontend)

    @property
    def console(self):
        return self.tab.console

    @property
    def external_requests(self):
        return self.tab.external_requests

    def timed(self, phase, fn, *args):
        start = time.monotonic()
        try:
            return fn(*args)
        finally:
            self.report.timings[phase] = round(time.monotonic() - start, 1)

    # -- opening --------------------------------------------------------------------------------

    def open(self, timeout_ms=90_000):
        self.tab.reset_reports()
        # Start the notebook's kernel now, so that it boots while the page loads its scripts
        # (the page then joins the running session, as when a learner reopens a notebook).
        self.server.api(
            "POST",
            "/api/sessions",
            {"path": self.name, "name": self.name, "type": "notebook", "kernel": {"name": "python3"}},
            timeout=60,
        )
        if self.frontend == LAB:
            if not self.tab.app_loaded:
                # a fresh workspace: nothing is restored next to the notebook
                self.page.goto(
                    self.server.url("/lab/workspaces/browser-tests?reset"),
                    wait_until="domcontentloaded",
                    timeout=timeout_ms,
                )
                self.tab.app_loaded = True
            # open it as a learner does: double-click in the file browser
            item = self.page.locator(".jp-DirListing-item").filter(
                has=self.page.locator(".jp-DirListing-itemText", has_text=re.compile(rf"^{re.escape(self.name)}$"))
            )
            item.first.dblclick(timeout=timeout_ms)
        else:
            self.page.goto(
                self.server.url(f"/notebooks/{self.name}"), wait_until="domcontentloaded", timeout=timeout_ms
            )
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout_ms)
        # JupyterLab attaches the cells of a long notebook over a few seconds: a prompt that is not
        # in the page yet cannot be watched, so wait for all of them.
        n_cells = len(nbformat.read(self.server.root / self.name, as_version=4).cells)
        self.page.wait_for_function(
            "(n) => document.querySelectorAll('.jp-Notebook .jp-Cell').length >= n",
            arg=n_cells,
            timeout=timeout_ms,
        )
        self.wait_kernel_ready(timeout_ms)

    def finish(self, ok=True):
        """Close the notebook (Lab: every tab, ready for the next notebook; Notebook 7: the page).

        ok=False (something failed): JupyterLab is reloaded for the next notebook.
        """
        if self.frontend != LAB:
            self.tab.close()
            return
        try:
            if not ok:
                raise RuntimeError("reload")
            self.command_from_menu("File", ("application:close-all",))
            dialog = self.page.locator(".jp-Dialog")
            try:
                dialog.wait_for(timeout=1000)
                # "Save your work before closing?": the run was saved already
                dialog.locator(".jp-Dialog-button.jp-mod-warn, .jp-Dialog-button.jp-mod-accept").first.click()
            except Exception:
                pass
            self.page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel')", timeout=15_000)
        except Exception:
            self.tab.app_loaded = False  # the next open() loads JupyterLab afresh

    def wait_kernel_ready(self, timeout_ms=90_000):
        """Kernel name shown in the toolbar and the kernel idle: before this, Run All may be dropped."""
        # Both frontends put JupyterLab's notebook toolbar on the page: kernel name + status.
        self.page.wait_for_function(
            """() => {
                const name = document.querySelector('.jp-NotebookPanel-toolbar .jp-KernelName');
                const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
                return name && /Python/.test(name.textContent) && status && status.dataset.status === 'idle';
            }""",
            timeout=timeout_ms,
        )

    # -- menus ----------------------------------------------------------------------------------

    def command_from_menu(self, menu_label, commands, timeout_ms=10_000):
        """Click a top-level menu, then its first item whose Lumino command id is in `commands`."""
        self.page.keyboard.press("Escape")
        bar = self.page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^\s*{menu_label}\s*$"))
        bar.first.click(timeout=timeout_ms)
        selector = ", ".join(f".lm-Menu li.lm-Menu-item[data-command='{c}']" for c in commands)
        self.page.locator(selector).first.click(timeout=timeout_ms)

    # -- running --------------------------------------------------------------------------------

    def prompts(self):
        """Input prompt text of every code cell, in order ('[3]:', '[*]:', '[ ]:')."""
        return self.page.eval_on_selector_all(
            ".jp-Notebook .jp-CodeCell .jp-InputPrompt", "els => els.map(e => e.textContent.trim())"
        )

    def run_all(self, notebook_path, timeout_s=240, attempts=3):
        """Run All and wait until every code cell has an execution count (or execution stopped)."""
        rep = self.report
        rep.expected_cells = code_cells_to_run(notebook_path)
        start = time.monotonic()
        started = False
        for attempt in range(1, attempts + 1):
            rep.attempts = attempt
            self.wait_kernel_ready()
            self.command_from_menu("Run", RUN_ALL_COMMANDS)
            # A dropped click leaves every prompt at '[ ]:'; a taken one shows '[*]' or a number soon.
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline:
                if any(p.startswith("[*") or PROMPT_NUMBER.match(p) for p in self.prompts()):
                    started = True
                    break
                time.sleep(0.1)
            if started or rep.expected_cells == 0:
                break
        if not started and rep.expected_cells:
            rep.problem = f"Run All was not taken after {attempts} attempts"
            rep.prompts = self.prompts()
            return rep

        deadline = start + timeout_s
        quiet_since = None
        while time.monotonic() < deadline:
            prompts = self.prompts()
            done = sum(1 for p in prompts if PROMPT_NUMBER.match(p))
            queued = any(p.startswith("[*") for p in prompts)
            if done >= rep.expected_cells and not queued:
                rep.finished = True
                break
            # Lab stops a Run All at an untagged error and clears the queued prompts: no '[*]' and
            # an idle kernel for 3 s while cells are missing means execution stopped. (After a
            # cell tagged raises-exception Lab 4.6 also shows the queued cells as '[ ]', but the
            # kernel goes on running them: hence the kernel status, not only the prompts.)
            if not queued and not self.kernel_busy():
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since > 3:
                    rep.problem = f"execution stopped: {done} of {rep.expected_cells} code cells ran"
                    break
            else:
                quiet_since = None
            time.sleep(0.2)
        else:
            rep.problem = f"Run All did not finish within {timeout_s} s"
        rep.seconds = time.monotonic() - start
        rep.prompts = self.prompts()
        return rep

    def kernel_busy(self):
        return self.page.evaluate(
            """() => {
                const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
                return !status || status.dataset.status !== 'idle';
            }"""
        )

    def save_and_read(self, timeout_s=30, attempts=3):
        """Save from the frontend's File menu; return the notebook as saved (None if it never was)."""
        path = self.server.root / self.name
        before = path.stat().st_mtime_ns
        nb = None
        for _ in range(attempts):
            self.command_from_menu("File", SAVE_COMMANDS)
            deadline = time.monotonic() + timeout_s / attempts
            while nb is None and time.monotonic() < deadline:
                if path.stat().st_mtime_ns != before:
                    try:
                        nb = nbformat.read(path, as_version=4)
                    except (OSError, ValueError):  # caught mid-write: read again
                        pass
                time.sleep(0.1)
            if nb is not None:
                break
        self.report.saved = nb
        return nb

    # -- inspecting -----------------------------------------------------------------------------

    def wait_widgets_rendered(self, timeout_s=20):
        """Wait until no output says 'Loading widget…'; return the list of widget problems left."""
        deadline = time.monotonic() + timeout_s
        while True:
            problems = self.widget_problems()
            loading = [p for p in problems if p.startswith("still loading")]
            if not loading or time.monotonic() > deadline:
                self.report.widget_problems = problems
                return problems
            time.sleep(0.25)

    def widget_problems(self):
        found = self.page.evaluate(
            """([errors, loading]) => {
                const out = [];
                const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
                cells.forEach((cell, i) => {
                    cell.querySelectorAll('.jp-OutputArea-output').forEach(o => {
                        // ipywidgets 8 draws a widget whose view failed as a broken-page icon
                        // ("Click to show javascript error"), not as text
                        o.querySelectorAll('.jupyter-widgets-error-widget').forEach(e =>
                            out.push(`cell ${i}: broken widget (ipywidgets error view): `
                                     + (e.title || e.textContent || '').slice(0, 300).replace(/\\s+/g, ' ')));
                        const t = o.innerText || '';
                        for (const e of errors) if (t.includes(e))
                            out.push(`cell ${i}: "${e}": ` + t.slice(0, 300).replace(/\\s+/g, ' '));
                        for (const l of loading) if (t.includes(l)) {
                            out.push(`still loading: cell ${i}: ` + t.slice(0, 120).replace(/\\s+/g, ' '));
                            break;
                        }
                    });
                });
                return out;
            }""",
            [list(WIDGET_ERROR_TEXTS), list(WIDGET_LOADING_TEXTS)],
        )
        return found

    def console_errors(self):
        """Browser console errors and uncaught page errors, minus the documented harmless ones."""
        kept = []
        for kind, text in self.console:
            if any(re.search(rx, text) for rx, _reason in HARMLESS_CONSOLE_ERRORS[self.frontend]):
                continue
            kept.append(f"{kind}: {text[:500]}".replace(self.server.token, "<token>"))
        self.report.console_errors = kept
        return kept

    def screenshot(self, suffix="", widgets=False, max_height=30_000):
        """Full-notebook screenshot: the notebook scrolls inside a fixed panel, so grow the viewport.

        widgets=True: also one picture per widget output (see widget_screenshots).
        """
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        # Offscreen cells have estimated heights (content-visibility) until they are shown:
        # grow, let them render, measure again.
        for _ in range(3):
            height = self.page.evaluate(
                """() => {
                    const scroller = document.querySelector('.jp-WindowedPanel-outer')
                        || document.querySelector('.jp-NotebookPanel-notebook');
                    const cells = document.querySelectorAll('.jp-Notebook .jp-Cell');
                    if (!scroller || !cells.length) return document.body.scrollHeight;
                    scroller.scrollTop = 0;  // Run All leaves the notebook scrolled to its end
                    const last = cells[cells.length - 1].getBoundingClientRect();
                    const box = scroller.getBoundingClientRect();
                    // everything outside the scroller (menus, toolbars, status bar) + the cells + a margin
                    return window.innerHeight - box.height + (last.bottom - box.top) + 40;
                }"""
            )
            height = int(min(max(height, size["height"]), max_height))
            if abs(height - self.page.viewport_size["height"]) < 20:
                break
            self.page.set_viewport_size({"width": size["width"], "height": height})
            time.sleep(0.2)
        path = ARTIFACTS / f"{Path(self.name).stem}-{self.frontend}{suffix}.png"
        self.page.screenshot(path=str(path), full_page=True)
        if widgets:
            # While the whole notebook is in view: an element taller than the viewport of its
            # scrolling panel cannot be captured on its own.
            self.widget_screenshots()
        self.page.set_viewport_size(size)
        self.report.screenshot = path
        return path

    def widget_screenshots(self, limit=8):
        """One picture per cell that shows a widget: <notebook>-<frontend>-widget-<cell>.png.

        Call with the whole notebook in the viewport (screenshot(widgets=True) does).
        """
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = f"{Path(self.name).stem}-{self.frontend}-widget-"
        for old in ARTIFACTS.glob(stem + "*.png"):
            old.unlink()
        indices = self.page.evaluate(
            """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'))
                .map((c, i) => c.querySelector('.jp-OutputArea .jupyter-widgets') ? i : -1)
                .filter(i => i >= 0)"""
        )
        paths = []
        for i in indices[:limit]:
            output = self.page.locator(".jp-Notebook .jp-Cell").nth(i).locator(".jp-OutputArea").first
            path = ARTIFACTS / f"{stem}{i:02d}.png"
            output.screenshot(path=str(path))
            paths.append(path)
        return paths


# -- sliders --------------------------------------------------------------------------------------

# Installed once per measurement: remembers when the triggering key went down (capture phase, so
# before the slider's own handler) and when the widget's image changed next.
_LATENCY_PROBE = """
(cellIndex) => {
    const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[cellIndex];
    const output = cell.querySelector('.jp-OutputArea');
    const probe = window.__blProbe = {t0: null, t1: null, changes: 0, src: null};
    const current = () => {
        const img = output.querySelector('img.widget-image') || output.querySelector('.widget-output img')
            || output.querySelector('img');
        return img ? img.getAttribute('src') : null;
    };
    probe.src = current();
    probe.current = current;
    const start = () => { probe.t0 = performance.now(); probe.t1 = null; };
    document.addEventListener('keydown', (e) => {
        if (['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Enter'].includes(e.key)) start();
    }, true);
    // dropdowns and buttons (exercise_other_control)
    document.addEventListener('change', (e) => { if (e.target.tagName === 'SELECT') start(); }, true);
    document.addEventListener('click', (e) => { if (e.target.closest('button')) start(); }, true);
    new MutationObserver(() => {
        const src = current();
        if (src !== probe.src) {
            probe.src = src; probe.changes += 1;
            if (probe.t0 !== null && probe.t1 === null) probe.t1 = performance.now();
        }
    }).observe(output, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    return probe.src !== null;
}
"""


@dataclass
class SliderResult:
    cell_index: int
    latencies_ms: list
    values: list
    image_changed: bool


def first_slider_cell(page):
    """Index (among .jp-Cell) of the first cell whose output holds a slider widget, or None."""
    return page.evaluate(
        """() => {
            const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
            const i = cells.findIndex(c => c.querySelector('.jp-OutputArea .widget-slider'));
            return i < 0 ? null : i;
        }"""
    )


def _readout(page, cell_index):
    return page.evaluate(
        """(i) => {
            const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
            const r = cell.querySelector('.widget-slider .widget-readout');
            return r ? (r.value !== undefined && r.tagName === 'INPUT' ? r.value : r.textContent).trim() : null;
        }""",
        cell_index,
    )


def _wait_quiet(page, quiet_s=0.15, timeout_s=5.0):
    """Wait until the image has not changed for quiet_s (a change may bring a second redraw)."""
    deadline = time.monotonic() + timeout_s
    last = page.evaluate("() => window.__blProbe.changes")
    since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = page.evaluate("() => window.__blProbe.changes")
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return


def exercise_slider(page, frontend, changes=12, timeout_s=5.0):
    """Change the first slider `changes` times; measure key-down -> image src change for each.

    Both front-ends: arrow keys on the focused handle (alternating direction; flipped at an end).
    In Notebook 7 this works thanks to the course's shortcut override (backprop_lessons/_jupyter.py):
    upstream, Notebook 7's command-mode arrow-key shortcuts take the key first.
    """
    cell_index = first_slider_cell(page)
    if cell_index is None:
        return None
    has_image = page.evaluate(_LATENCY_PROBE, cell_index)
    cell = page.locator(".jp-Notebook .jp-Cell").nth(cell_index)
    slider = cell.locator(".widget-slider").first
    slider.scroll_into_view_if_needed()
    latencies, values = [], [_readout(page, cell_index)]
    changed_any = False

    def one_change(action):
        nonlocal changed_any
        before = _readout(page, cell_index)
        action()
        try:
            page.wait_for_function("() => window.__blProbe.t1 !== null", timeout=int(timeout_s * 1000))
        except Exception:
            return before, _readout(page, cell_index), None
        changed_any = True
        dt = page.evaluate("() => window.__blProbe.t1 - window.__blProbe.t0")
        _wait_quiet(page)
        return before, _readout(page, cell_index), dt

    # the same in both front-ends (see the docstring)
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    key = "ArrowRight"
    misses = 0
    while len(latencies) < changes and misses < 4:
        before, after, dt = one_change(lambda: handle.press(key))
        if before == after:  # at an end of the range: go the other way
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
            misses += 1
            continue
        values.append(after)
        if dt is None:
            break  # the value moved but the image did not: the assertion reports it
        latencies.append(dt)
        key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
    return SliderResult(cell_index, latencies, values, changed_any and has_image)


def exercise_other_control(page, timeout_s=10.0):
    """For a notebook without sliders: change the first dropdown, else click the first enabled
    button, of the first widget that shows an image; report whether the image changed.

    Returns (cell_index, what was done, milliseconds or None), or None when no such widget exists.
    """
    found = page.evaluate(
        """() => {
            const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
            for (let i = 0; i < cells.length; i++) {
                const out = cells[i].querySelector('.jp-OutputArea');
                if (!out || !out.querySelector('.jupyter-widgets img')) continue;
                const select = out.querySelector('.widget-dropdown select');
                if (select && select.options.length > 1) {
                    const next = Array.from(select.options).find(o => o.value !== select.value);
                    return {cell: i, kind: 'select', value: next.value, label: next.textContent};
                }
                const buttons = Array.from(out.querySelectorAll('button.jupyter-button'));
                const b = buttons.findIndex(x => !x.disabled);
                if (b >= 0) return {cell: i, kind: 'button', index: b, label: buttons[b].textContent.trim()};
            }
            return null;
        }"""
    )
    if found is None:
        return None
    page.evaluate(_LATENCY_PROBE, found["cell"])
    output = page.locator(".jp-Notebook .jp-Cell").nth(found["cell"]).locator(".jp-OutputArea").first
    if found["kind"] == "select":
        output.locator(".widget-dropdown select").first.select_option(found["value"])
        what = f"chose {found['label']!r} in the first dropdown"
    else:
        output.locator("button.jupyter-button").nth(found["index"]).click()
        what = f"clicked the button {found['label']!r}"
    try:
        page.wait_for_function("() => window.__blProbe.t1 !== null", timeout=int(timeout_s * 1000))
    except Exception:
        return found["cell"], what, None
    return found["cell"], what, page.evaluate("() => window.__blProbe.t1 - window.__blProbe.t0")


def _candidates(text):
    """Values to try typing into a readout that shows `text`."""
    try:
        x = float(text)
    except (TypeError, ValueError):
        return ["1", "2", "0.5"]
    out = []
    for v in (x * 2, x / 2, x + 1, x - 1, x + 0.1, x - 0.1, 1.0, 0.5):
        s = f"{v:.6g}"
        if s != text and s not in out:
            out.append(s)
    return out


def latency_summary(latencies):
    xs = sorted(latencies)
    p90 = xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]
    return {"median_ms": round(statistics.median(xs), 1), "p90_ms": round(p90, 1), "n": len(xs)}


LATENCY_FILE = Path(__file__).resolve().parents[2] / "benchmarks" / ".latency" / "browser_latency.json"


def record_latency(key, summary, frontend, notebooks_dir):
    """Merge one measurement into benchmarks/.latency/browser_latency.json (read by `make bench`).

    Keys are notebook file names (JupyterLab) or "notebook7:<name>"; values hold median_ms,
    p90_ms, n, frontend and measured_at. Entries of notebooks that no longer exist are dropped.
    """
    LATENCY_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(LATENCY_FILE.read_text())
    except (OSError, ValueError):
        data = {}
    data = {k: v for k, v in data.items() if (Path(notebooks_dir) / k.split(":")[-1]).exists()}
    data[key] = {
        **summary,
        "frontend": frontend,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    tmp = LATENCY_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps(dict(sorted(data.items())), indent=2) + "\n")
    tmp.replace(LATENCY_FILE)


# -- checks shared by the JupyterLab and Notebook 7 tests -----------------------------------------


def _is_float_noise(value):
    """0.9000000000000001: a short decimal plus rounding noise (a slider's min + k * step in JS)."""
    if not isinstance(value, float):
        return False
    short = float(f"{value:.12g}")
    if short != value and len(repr(short).lstrip("-").replace(".", "").strip("0")) <= 6:
        return True
    # A log slider's grid point 10**(k/100) recomputed by the browser's own pow(): the kernel
    # snaps it back onto the very same value (widgets/_canvas.py), so nothing is re-run.
    if value > 0:
        k = math.log10(value) * 100
        return abs(k - round(k)) < 1e-9
    return False


def material_updates(updates):
    """Split the widget updates a page sent on its own into (material, float noise).

    Float noise (0.9 written back as 0.9000000000000001) changes nothing a learner sees, though it
    makes the explorer compute its picture again; a material update (0.3 -> 0.316) changes the run.
    """
    material, noise = [], []
    for text in updates:
        try:
            state = json.loads(text)
        except ValueError:
            material.append(text)
            continue
        values = list(state.values()) if isinstance(state, dict) else [state]
        (noise if values and all(_is_float_noise(v) for v in values) else material).append(text)
    return material, noise


def run_problems(report):
    """Why a Run All did not end with every code cell executed and no unexpected error, or []."""
    problems = []
    if not report.finished:
        problems.append(f"{report.problem}; prompts: {' '.join(report.prompts)}")
    nb = report.saved
    if nb is None:
        problems.append("the notebook could not be saved from the frontend, so its outputs were not checked")
        return problems
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        # e.g. PNG bytes (not base64 text) in a _repr_mimebundle_ arrive as a list of numbers
        where = "/".join(str(p) for p in err.absolute_path)
        problems.append(
            f"the notebook saved from the browser is not valid nbformat at {where}: {str(err.message)[:200]}"
        )
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        first_line = cell.source.strip().splitlines()[0][:60]
        if not cell.get("execution_count"):
            problems.append(f"cell {i} ({first_line!r}) was not executed")
        if "raises-exception" in cell.metadata.get("tags", []):
            continue
        for out in cell.outputs:
            if out.output_type == "error":
                problems.append(f"cell {i} ({first_line!r}) raised {out.ename}: {out.evalue}")
    return problems


def control_screenshot(page, cell_index, name, frontend, control="slider"):
    """Screenshot of a widget's cell after the test moved its control (as the learner left it)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{Path(name).stem}-{frontend}-{control}.png"
    cell = page.locator(".jp-Notebook .jp-Cell").nth(cell_index)
    cell.scroll_into_view_if_needed()
    cell.screenshot(path=str(path))
    return path
