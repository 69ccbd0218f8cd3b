"""The README's speed section, written from benchmarks/results.md (so the two cannot disagree).

    python benchmarks/readme_speed.py       # rewrite the section in README.md from results.md

``make bench`` calls it after a full run; tests/test_benchmarks.py checks that the
committed README says what the committed results.md says.
"""

import math
import re
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
RESULTS = HERE / "results.md"
START = "<!-- speed: written by benchmarks/readme_speed.py from benchmarks/results.md; edit those, not this -->"
END = "<!-- speed: end -->"


def parse_results(text):
    """The rows of results.md's table as dicts (benchmark, ours, peer, ratio, goal, met)."""
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    header = [c.strip() for c in re.split(r"(?<!\\)\|", lines[0])[1:-1]]
    rows = []
    for line in lines[1:]:
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows.append(dict(zip(header, cells)))
    return rows


def _median_ms(text):
    """'median 18.9 ms (CPU 15.7), ...' or '62.8 ms' -> 18.9."""
    m = re.search(r"(?:median )?([\d.]+) ms", text)
    return float(m.group(1)) if m else None


def _range(values, unit):
    lo, hi = min(values), max(values)
    return f"{lo:.3g} {unit}" if lo == hi else f"{lo:.3g}–{hi:.3g} {unit}"


def _met(row):
    return {"yes": "met", "NO": "**not met**"}.get(row["met"], row["met"])


def speed_section(rows, written):
    """Markdown bullets for README.md from the results rows; ``written`` is results.md's date line."""
    out = [START, "", f"From [`benchmarks/results.md`](benchmarks/results.md), {written}:", ""]
    for section in (_engine, _layers, _explorers, _browser, _course):
        line = section(rows)
        if line:
            out.append(textwrap.fill(line, 100, subsequent_indent="  "))
    return "\n".join(out + ["", END])


def _starting(rows, prefix):
    return [r for r in rows if r["benchmark"].startswith(prefix)]


def _engine(rows):
    step = _starting(rows, "scalar engine: micrograd demo step")
    chain = _starting(rows, "scalar engine: longest chain")
    if not step:
        return None
    e = step[0]
    line = (
        f"- **scalar engine**: `Value` runs micrograd's own demo step (MLP 2-16-16-1, 100 points, the same "
        f"model code and weights) **{e['ratio']}** than micrograd 0.1.0, each paying for its own garbage "
        f"collection ({e['ours']} vs {e['peer'].split(': ', 1)[-1]}; goal {e['goal']}: {_met(e)})"
    )
    return line + (f"; it backpropagates a chain of {chain[0]['ours']} ({chain[0]['peer']})." if chain else ".")


def _layers(rows):
    layers = [r for r in _starting(rows, "layers:") if r["goal"] != "-"]
    if not layers:
        return None
    parts = [f"{r['benchmark'].removeprefix('layers: step of ')}: {r['ratio']} ({_met(r)})" for r in layers]
    peer = layers[0]["peer"].split(":", 1)[0]
    return (
        f"- **layers**: a training step takes, relative to {peer}: "
        + "; ".join(parts)
        + (f" (goal {layers[0]['goal']}).")
    )


def _explorers(rows):
    measured = [r for r in _starting(rows, "widget:") if _median_ms(r["ours"]) is not None]
    failed = [r["benchmark"].removeprefix("widget: ").removesuffix(" FAILED") for r in _starting(rows, "widget:")]
    failed = [name for name, r in zip(failed, _starting(rows, "widget:")) if r not in measured]
    goals = [r for r in measured if r["met"] != "-"]
    line = _explorer_line(goals) if goals else None
    notes = [r for r in measured if r["met"] == "-"]  # e.g. the time to the trained frame, after a first frame
    if notes:
        named = ", ".join(f"{_label(r)} {_median_ms(r['ours']):.3g} ms" for r in notes)
        line = (line or "- **explorers**:") + f" Without a goal (median): {named}."
    if failed:
        line = (line or "- **explorers**:") + f" Not measured in this run (the benchmark failed): {', '.join(failed)}."
    return line


def _explorer_line(widgets):
    medians = [_median_ms(r["ours"]) for r in widgets]
    misses = [f"{_explorer(r)} {_median_ms(r['ours']):.3g} ms" for r in widgets if r["met"] != "yes"]
    ratios = [float(m.group(1)) for r in widgets if (m := re.match(r"([\d.]+)x faster", r["ratio"]))]
    line = f"- **explorers**: a slider change costs {_range(medians, 'ms')} in the kernel (median per explorer)"
    if ratios:
        line += f", {_range(ratios, '×')} faster than a naive redraw"
    verdict = "met by every explorer" if not misses else "missed by " + ", ".join(misses)
    cpu_misses = [f"{_explorer(r)} (CPU {_cpu_ms(r['ours']):.3g} ms)" for r in widgets if r["met"] == "NO"]
    if any(r["met"] == "NO (CPU yes)" for r in widgets):  # a shared machine: the wall clock waited for a core
        verdict += "; in CPU time " + ("by none" if not cpu_misses else "only by " + ", ".join(cpu_misses))
    return line + f"; goal {widgets[0]['goal']}: {verdict}."


def _cpu_ms(text):
    m = re.search(r"\(CPU ([\d.]+)\)", text)
    return float(m.group(1)) if m else math.nan


def _browser(rows):
    browser = [r for r in _starting(rows, "browser:") if _median_ms(r["ours"]) is not None]
    if not browser:
        return "- **browser**: slider to pixels not measured in this run (the browser tests leave those numbers)."
    verdict = "met" if all(r["met"] == "yes" for r in browser) else "**not met**"
    medians = _range([_median_ms(r["ours"]) for r in browser], "ms")
    return f"- **browser**: slider to pixels {medians} (median per notebook; goal {browser[0]['goal']}: {verdict})."


def _course(rows):
    course = _starting(rows, "course: all")
    failed = _starting(rows, "course: FAILED")
    if failed:
        return f"- **course**: the notebook timings failed in this run ({failed[0]['ours']}); see results.md."
    if not course:
        return None
    c = course[0]
    return f"- **course**: {c['benchmark'].removeprefix('course: ')}: {c['ours']} (goal {c['goal']}: {_met(c)})."


def _label(row):
    """'widget: a_explorer (cold), trained frame, x.set_state (browser)' -> 'a_explorer (cold), trained frame'."""
    return ",".join(row["benchmark"].removeprefix("widget: ").split(",")[:2])


def _explorer(row):
    """'widget: backprop_stepper, next()' -> 'backprop_stepper'."""
    return row["benchmark"].removeprefix("widget: ").split(",")[0]


def written_line(text):
    m = re.search(r"on (\d{4}-\d\d-\d\d) [\d:]+ UTC", text)
    cpu = re.search(r"^- CPU: (.*)$", text, re.M)
    load = re.search(r"Load average \(1 min\) ([\d.]+) at the start, ([\d.]+) at the end", text)
    line = f"measured {m.group(1) if m else '(date unknown)'} on {cpu.group(1) if cpu else 'an unknown CPU'}"
    return line + (f", load average {load.group(1)} to {load.group(2)} (shared)" if load else "")


def expected_section(results_text):
    return speed_section(parse_results(results_text), written_line(results_text))


def readme_section(readme_text):
    """The section as it stands in README.md (or None)."""
    m = re.search(re.escape(START) + r".*?" + re.escape(END), readme_text, re.S)
    return m.group(0) if m else None


def update_readme(readme=README, results=RESULTS):
    text = Path(readme).read_text()
    new = expected_section(Path(results).read_text())
    old = readme_section(text)
    if old is None:
        raise SystemExit(f"{readme} has no speed section between {START!r} and {END!r}")
    Path(readme).write_text(text.replace(old, new))
    return new


if __name__ == "__main__":
    print(update_readme())
    sys.exit(0)
