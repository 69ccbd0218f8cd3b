"""Notebook hygiene: static checks of the committed notebooks (fast; no kernel, no browser).

What a learner reading a notebook on the web, or an instructor changing one, relies on:
stored outputs from a clean top-to-bottom run, nothing personal or editor-specific, no widget
state that renders as an error, a lecture's shape (title, learning goals, summary with key terms,
links to the neighbours) and a course map in the README that matches the files.

Fixes for most failures: `make notebooks` (re-execute and clean every notebook), then `make test`.
Notebooks are found at collection time; with none yet, the per-notebook tests are skipped.
"""

import ast
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"  # the learner edition
SOLUTIONS_DIR = ROOT / "solutions"  # the source, = the solutions edition
README = ROOT / "README.md"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(SOLUTIONS_DIR.glob("*.ipynb"))

MAX_BYTES = 1_000_000
NAME = re.compile(r"^(\d{2})_[a-z0-9]+(?:_[a-z0-9]+)*\.ipynb$")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
NOTEBOOK_METADATA_KEEP = {"kernelspec", "language_info"}
CELL_METADATA_KEEP = {"tags", "nbgrader", "editable", "deletable"}  # nbgrader: the cell's role and locks
# The course's widgets say so in their text/plain twin: "<learning-rate explorer: run the notebook to …>"
WIDGET_TEXT = re.compile(r"^<[^<>]*: run the notebook to [^<>]*>$")
WIDGET_CALLS = {"backprop_stepper", "predict_first", "review"}  # plus every *_explorer( and widgets.__all__
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# [text](target) and ![alt](target); the target up to whitespace or ')'
MD_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def ids(paths):
    return [f"{p.parent.name}/{p.name}" for p in paths]


@pytest.fixture(params=NOTEBOOKS, ids=ids(NOTEBOOKS))
def path(request):
    return request.param


@pytest.fixture
def nb(path):
    return nbformat.read(path, as_version=4)


def number(name):
    m = re.match(r"^(\d+)_", name)
    return int(m.group(1)) if m else None


def code_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def where(i, cell):
    first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
    return f"cell {i} ({first!r})"


def markdown_text(nb):
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def headings(cell):
    """(level, text) of every markdown heading in a cell, outside fenced code."""
    found, fenced = [], False
    for line in cell.source.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        m = None if fenced else HEADING.match(line)
        if m:
            found.append((len(m.group(1)), m.group(2)))
    return found


def notebook_links(text):
    """Relative links to notebooks in markdown: '02_loss.ipynb' from '[…](./02_loss.ipynb#part)'."""
    out = []
    for bang, _label, target in MD_LINK.findall(text):
        target = target.split("#", 1)[0]
        if bang or "://" in target or not target.endswith(".ipynb"):
            continue
        out.append(target[2:] if target.startswith("./") else target)
    return out


def readme_course_map():
    """Notebook names linked in README.md's "Course map" section (None: README or section missing)."""
    if not README.exists():
        return None
    lines = README.read_text(encoding="utf-8").splitlines()
    section, level = None, None
    for line in lines:
        m = HEADING.match(line)
        if m and section is None and "course map" in m.group(2).lower():
            section, level = [], len(m.group(1))
            continue
        if section is not None:
            if m and len(m.group(1)) <= level:
                break
            section.append(line)
    if section is None:
        return None
    return [t for _b, _l, t in MD_LINK.findall("\n".join(section)) if t.endswith(".ipynb")]


def course_last_number():
    """The last notebook's number: the highest in notebooks/ or in the README's course map."""
    numbers = [number(p.name) for p in NOTEBOOKS if number(p.name) is not None]
    numbers += [number(Path(t).name) for t in readme_course_map() or [] if number(Path(t).name)]
    return max(numbers, default=None)


def widget_function_names():
    """Names exported by backprop_lessons.widgets (read with ast: nothing is imported)."""
    names = set(WIDGET_CALLS)
    init = ROOT / "backprop_lessons" / "widgets" / "__init__.py"
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return names
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            try:
                names |= set(ast.literal_eval(node.value))
            except ValueError:
                pass
    return names


def is_widget_cell(cell, names):
    if cell.cell_type != "code":
        return False
    code = "\n".join(ln for ln in cell.source.splitlines() if not ln.lstrip().startswith("#"))
    calls = set(re.findall(r"(?<![\w.])([A-Za-z_]\w*)\s*\(", code))  # not method calls
    if calls & names or any(c.endswith("_explorer") for c in calls):
        return True
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if WIDGET_VIEW in data:
            return True
        text = data.get("text/plain", "")
        text = "".join(text) if isinstance(text, list) else text
        if "image/png" in data and WIDGET_TEXT.match(text.strip()):
            return True
    return False


# --- the file itself ------------------------------------------------------------------------------


def test_valid_nbformat(path):
    raw = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert raw.nbformat == 4, f"{path.name} is nbformat {raw.nbformat}, expected 4"
    try:
        nbformat.validate(raw)
    except nbformat.ValidationError as err:
        at = "/".join(str(p) for p in err.absolute_path)
        pytest.fail(f"{path.name} is not valid nbformat at {at}: {str(err.message)[:300]}", pytrace=False)


def test_file_name_is_NN_name(path):
    assert NAME.match(path.name), (
        f"{path.name}: name notebooks NN_topic.ipynb (two digits, lower-case words joined by _)"
    )


def test_under_1_mb(path):
    size = path.stat().st_size
    assert size < MAX_BYTES, (
        f"{path.name} is {size / 1e6:.2f} MB (limit {MAX_BYTES / 1e6:.0f} MB): lower the figures' dpi or "
        "size, or drop a figure"
    )


# --- outputs from one clean run -------------------------------------------------------------------


def test_execution_counts_are_1_2_3_from_a_clean_run(path, nb):
    cells = code_cells(nb)
    empty = [where(i, c) for i, c in cells if not c.source.strip()]
    assert not empty, f"{path.name}: empty code cells (a run skips them, delete them): {empty}"
    counts = [c.execution_count for _, c in cells]
    expected = list(range(1, len(cells) + 1))
    if counts != expected:
        bad = [
            f"{where(i, c)} has {c.execution_count}, expected {k}"
            for k, (i, c) in enumerate(cells, start=1)
            if c.execution_count != k
        ]
        pytest.fail(
            f"{path.name}: execution counts are not 1, 2, 3 … from one top-to-bottom run "
            f"(run `make notebooks`):\n  " + "\n  ".join(bad[:10]) + ("\n  …" if len(bad) > 10 else ""),
            pytrace=False,
        )


def test_no_error_outputs_except_raises_exception_cells(path, nb):
    errors = [
        f"{where(i, c)}: {out.ename}: {out.evalue}"
        for i, c in code_cells(nb)
        if "raises-exception" not in c.metadata.get("tags", [])
        for out in c.outputs
        if out.output_type == "error"
    ]
    assert not errors, f"{path.name}: error outputs (tag a deliberate error `raises-exception`):\n  " + "\n  ".join(
        errors
    )


def test_widget_state_renders_on_the_web_or_is_absent(path, nb):
    """A widget view needs its saved state; without it GitHub/nbviewer show an error instead of the PNG."""
    models = set()
    for i, c in code_cells(nb):
        for out in c.outputs:
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view:
                models.add((i, view.get("model_id")))
    widgets = nb.metadata.get("widgets")
    if widgets is None:
        assert not models, (
            f"{path.name}: widget views stored without widget state (cells {sorted(i for i, _ in models)}); "
            "`python tests/notebook_tools.py clean` drops the views and keeps the PNGs"
        )
        return
    state = widgets.get(WIDGET_STATE, {})
    assert state.get("version_major") == 2 and isinstance(state.get("state"), dict), (
        f"{path.name}: metadata.widgets is incomplete (no version 2 widget state): strip it with "
        "`python tests/notebook_tools.py clean`"
    )
    missing = sorted(i for i, mid in models if mid not in state["state"])
    assert not missing, f"{path.name}: widget views in cells {missing} have no saved state"


# --- nothing personal ----------------------------------------------------------------------------


def test_no_personal_or_editor_metadata(path, nb):
    extra = sorted(set(nb.metadata) - NOTEBOOK_METADATA_KEEP)
    assert not extra, f"{path.name}: notebook metadata {extra} (keep only kernelspec and language_info)"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", (
        f"{path.name}: kernelspec must be the standard python3 kernel, got {nb.metadata.get('kernelspec')}"
    )
    bad = [
        f"cell {i}: {sorted(set(c.metadata) - CELL_METADATA_KEEP)}"
        for i, c in enumerate(nb.cells)
        if set(c.metadata) - CELL_METADATA_KEEP
    ]
    assert not bad, (
        f"{path.name}: cell metadata other than tags and nbgrader's (run `make notebooks`):\n  " + "\n  ".join(bad)
    )


def test_cell_ids_are_normalized(path, nb):
    """notebook_tools.clean numbers the ids, so re-running a notebook does not churn them."""
    wrong = [i for i, c in enumerate(nb.cells) if c.get("id") != f"cell-{i:02d}"]
    assert not wrong, f"{path.name}: cell ids not normalized in cells {wrong[:10]} (run `make notebooks`)"


# --- the shape of a lesson ------------------------------------------------------------------------


def test_title_and_learning_goals_first(path, nb):
    assert nb.cells and nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), (
        f"{path.name}: the first cell must be markdown starting with a '# ' title"
    )
    for cell in nb.cells:
        if cell.cell_type == "code":
            break
        if any("learning goals" in text.lower() for _, text in headings(cell)):
            return
    pytest.fail(f"{path.name}: no 'Learning goals' heading before the first code cell", pytrace=False)


def test_summary_with_key_terms(path, nb):
    summary = None  # markdown from the "Summary" heading to the end of the notebook
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        if summary is not None:
            summary += "\n" + cell.source
            continue
        lines = cell.source.splitlines()
        for k, line in enumerate(lines):
            m = HEADING.match(line)
            if m and "summary" in m.group(2).lower():
                summary = "\n".join(lines[k:])
                break
    assert summary is not None, f"{path.name}: no 'Summary' heading"
    assert "key terms" in summary.lower(), f"{path.name}: the summary has no 'Key terms'"


def test_links_to_previous_and_next_notebook(path, nb):
    n = number(path.name)
    if n is None:
        pytest.skip("name has no number (reported by test_file_name_is_NN_name)")
    linked = {number(Path(t).name) for t in notebook_links(markdown_text(nb))}
    last = course_last_number()
    problems = []
    if n > 1 and n - 1 not in linked:
        problems.append(f"no link to the previous notebook ({n - 1:02d}_….ipynb)")
    if last is not None and n < last and n + 1 not in linked:
        problems.append(f"no link to the next notebook ({n + 1:02d}_….ipynb)")
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_links_to_notebooks_point_to_existing_files(path, nb):
    broken = sorted({t for t in notebook_links(markdown_text(nb)) if not (path.parent / t).exists()})
    assert not broken, f"{path.name}: links to notebooks that do not exist: {broken}"


def test_markdown_images_have_alt_text(path, nb):
    missing = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for bang, alt, target in MD_LINK.findall(cell.source):
            if bang and not alt.strip():
                missing.append(f"cell {i}: ![]({target})")
        for tag in HTML_IMG.findall(cell.source):
            m = re.search(r"\balt\s*=\s*([\"'])(.*?)\1", tag, re.IGNORECASE | re.DOTALL)
            if not m or not m.group(2).strip():
                missing.append(f"cell {i}: {tag[:80]}")
    assert not missing, f"{path.name}: images without alt text:\n  " + "\n  ".join(missing)


def test_widget_cells_are_tagged_nbval_ignore_output(path, nb):
    """Widget outputs (model ids, live PNGs) differ run to run; nbval must not compare them."""
    names = widget_function_names()
    untagged = [
        where(i, c)
        for i, c in enumerate(nb.cells)
        if is_widget_cell(c, names) and "nbval-ignore-output" not in c.metadata.get("tags", [])
    ]
    assert not untagged, f"{path.name}: widget cells not tagged nbval-ignore-output:\n  " + "\n  ".join(untagged)


# --- the course as a whole ------------------------------------------------------------------------


def test_readme_course_map_lists_every_notebook_and_only_those():
    assert README.exists(), "README.md is missing: it must have a 'Course map' linking every notebook"
    linked = readme_course_map()
    assert linked is not None, "README.md has no 'Course map' section"
    bad_form = [t for t in linked if not re.fullmatch(r"notebooks/[^/]+\.ipynb", t)]
    assert not bad_form, f"README course map: link notebooks as notebooks/NN_topic.ipynb, not {bad_form}"
    in_map = [Path(t).name for t in linked]
    on_disk = [p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")]
    missing = sorted(set(on_disk) - set(in_map))
    extra = sorted(set(in_map) - set(on_disk))
    assert not missing and not extra, (
        "README course map and notebooks/ disagree:"
        + (f"\n  not in the course map: {missing}" if missing else "")
        + (f"\n  in the course map but not in notebooks/: {extra}" if extra else "")
    )
    order = list(dict.fromkeys(in_map))
    assert order == sorted(order), f"README course map is not in course order: {order}"


def test_both_editions_hold_the_same_notebooks():
    learner = sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))
    source = sorted(p.name for p in SOLUTIONS_DIR.glob("*.ipynb"))
    assert learner == source, f"notebooks/ (learner edition) and solutions/ (source) differ: {learner} vs {source}"


def test_notebooks_are_numbered_01_to_n_without_gaps():
    numbers = [number(p.name) for p in NOTEBOOKS_DIR.glob("*.ipynb") if NAME.match(p.name)]
    if not numbers:
        pytest.skip("no notebooks yet")
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    assert not duplicates, f"two notebooks share a number: {duplicates}"
    gaps = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
    assert not gaps, f"notebook numbers missing: {[f'{g:02d}' for g in gaps]}"
