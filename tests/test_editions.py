"""The two editions (issue 12): the learner edition is nbgrader's, up to date, and gives nothing away.

`solutions/NN_topic.ipynb` is the source (the solutions edition, the one authors edit);
`notebooks/NN_topic.ipynb` is the learner edition, generated from it by nbgrader's own
preprocessors and executed: `make notebooks NB=NN` (tests/notebook_tools.py). Fast: no kernel.
The same rules run on the fixture of tests/nbgrader_fixture.py, so they are exercised even while
no course notebook has graded cells. The nbgrader commands themselves: test_nbgrader_roundtrip.py.
"""

import ast
import os
import re
import sys
from collections import Counter

import nbformat
import notebook_tools as tools
import pytest
from nbgrader_fixture import NAME as FIXTURE_NAME
from nbgrader_fixture import fixture_source

if os.environ.get("CI") and sys.version_info >= (3, 11):
    import nbgrader  # noqa: F401  (CI installs the [instructor] extra: never skip there)
else:  # nbgrader 0.9.6 needs Python >= 3.11: the Python 3.10 job runs without it
    pytest.importorskip("nbgrader", reason="nbgrader is the [instructor] extra (Python >= 3.11)")

SOURCES = sorted(tools.SOURCE_DIR.glob("*.ipynb"))
FIXTURE = "fixture"
MARKER = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)")
# Lines that name no answer: `return dX, dW, db`, `pass`, a lone bracket.
PLAIN = re.compile(r"^(return\s+)?\(?[\w.]+(\s*,\s*[\w.]+)*,?\)?$|^[\s()\[\]{},]*$")


def fix_command(name):
    return f"make notebooks NB={name[:2]}"


def read_source(name):
    """(label, notebook) of a source: a file of solutions/ or the fixture."""
    if name == FIXTURE:
        return f"{FIXTURE_NAME} (tests/nbgrader_fixture.py)", fixture_source()
    return f"solutions/{name}", nbformat.read(tools.SOURCE_DIR / name, as_version=4)


@pytest.fixture(params=[p.name for p in SOURCES] + [FIXTURE])
def source(request):
    return read_source(request.param)


@pytest.fixture(params=[p.name for p in SOURCES])
def course_notebook(request):
    return request.param


def solution_regions(cell):
    """The lines between `### BEGIN SOLUTION` and `### END SOLUTION` (one list per region)."""
    regions, current = [], None
    for line in cell.source.splitlines():
        if "BEGIN SOLUTION" in line:
            current = []
        elif "END SOLUTION" in line:
            regions.append(current or [])
            current = None
        elif current is not None:
            current.append(line)
    return regions


def code_part(line):
    """A line without its trailing comment, stripped: a copy with other comments is still a copy."""
    return line.split("#", 1)[0].strip()


def telling_lines(nb):
    """Solution lines that would give an answer away: {code of the line: grade_id}."""
    found = {}
    for cell in nb.cells:
        for region in solution_regions(cell):
            for line in region:
                code = code_part(line)
                if len(code) >= 8 and not PLAIN.match(code):
                    found.setdefault(code, tools.nbgrader_meta(cell).get("grade_id", "?"))
    return found


def output_texts(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            yield out.get("text", "")
        elif out.get("output_type") == "error":
            yield "\n".join([out.get("evalue", "")] + out.get("traceback", []))
        for mime, value in out.get("data", {}).items():
            if mime.startswith("text/"):
                yield "".join(value) if isinstance(value, list) else value


def first_difference(a, b):
    la, lb = a.splitlines(), b.splitlines()
    for k, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return f"line {k + 1}: generated {x!r}, committed {y!r}"
    return f"generated {len(la)} lines, committed {len(lb)}"


# --- the learner edition is the generated one ----------------------------------------------------


def test_every_source_has_a_learner_edition_and_back():
    sources = {p.name for p in SOURCES}
    learners = {p.name for p in tools.LEARNER_DIR.glob("*.ipynb")}
    problems = [f"solutions/{n} has no learner edition: run `{fix_command(n)}`" for n in sorted(sources - learners)]
    problems += [
        f"notebooks/{n} has no source solutions/{n}: the learner edition is generated from the source "
        f"(move the notebook to solutions/, then `{fix_command(n)}`)"
        for n in sorted(learners - sources)
    ]
    assert not problems, "\n".join(problems)


def test_learner_edition_is_not_stale(course_notebook):
    name = course_notebook
    label, src = read_source(name)
    expected = tools.clean(tools.learner_edition(src, name=label))
    committed = nbformat.read(tools.LEARNER_DIR / name, as_version=4)
    problems = []
    if len(expected.cells) != len(committed.cells):
        problems.append(f"{len(committed.cells)} cells, the source gives {len(expected.cells)}")
    for i, (e, c) in enumerate(zip(expected.cells, committed.cells)):
        if e.cell_type != c.cell_type:
            problems.append(f"cell {i}: a {c.cell_type} cell, the source gives {e.cell_type}")
        elif e.source != c.source:
            problems.append(f"cell {i}: {first_difference(e.source, c.source)}")
        elif dict(e.metadata) != dict(c.metadata):
            problems.append(f"cell {i}: metadata {dict(c.metadata)}, the source gives {dict(e.metadata)}")
    assert not problems, (
        f"notebooks/{name} is stale: it is not what {label} generates. Edit only solutions/, then "
        f"regenerate the learner edition with `{fix_command(name)}`.\n  "
        + "\n  ".join(problems[:8])
        + ("\n  …" if len(problems) > 8 else "")
    )


def test_no_solution_anywhere_in_the_learner_edition(course_notebook):
    name = course_notebook
    learner = nbformat.read(tools.LEARNER_DIR / name, as_version=4)
    _, src = read_source(name)
    secrets = telling_lines(src)
    leaks = []
    for i, cell in enumerate(learner.cells):
        texts = [("source", cell.source)] + [("stored output", t) for t in output_texts(cell)]
        for where, text in texts:
            marker = MARKER.search(text)
            if marker:
                leaks.append(f"cell {i} ({cell.cell_type}) {where} has the marker {marker.group(0)!r}")
            lines = {code_part(ln) for ln in text.splitlines()}
            for secret, grade_id in secrets.items():
                # Code must not hold the line (a worked example the exercise copies gives it away too);
                # prose and outputs must not quote it.
                in_code = cell.cell_type == "code" and where == "source"
                if secret in lines or (not in_code and len(secret) >= 12 and secret in text):
                    leaks.append(
                        f"cell {i} ({cell.cell_type}) {where} shows the solution line {secret!r} of {grade_id}"
                    )
    assert not leaks, (
        f"notebooks/{name} gives a solution away (learners read it before they try):\n  "
        + "\n  ".join(leaks)
        + f"\nKeep answers inside the solution regions of solutions/{name}, then `{fix_command(name)}`. "
        "A line of given code (a worked example) that the solution repeats gives it away too: ask for "
        "something the notebook has not shown, or call the given code instead of repeating its line."
    )


def test_fixture_learner_edition_has_nbgraders_stub_and_no_hidden_tests():
    nb = tools.learner_edition(fixture_source())
    sol = [c for c in nb.cells if tools.is_solution_cell(c)]
    assert sol[0].source.splitlines()[2:] == ["    # YOUR CODE HERE", "    raise NotImplementedError()"]
    checks = [c for c in nb.cells if tools.is_graded_cell(c)]
    assert [c.source for c in checks] == [
        "result = check_linear_backward(linear_backward)",
        "result = check_relu_backward(relu_backward)",
    ]
    assert all(c.metadata.get("editable") is False for c in checks), "LockCells locks graded cells"
    assert all(tools.nbgrader_meta(c).get("checksum") for c in sol + checks), "ComputeChecksums ran"


def test_a_solution_region_outside_a_solution_cell_is_refused_by_name():
    nb = fixture_source()
    nb.cells[1].source += "\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION"
    with pytest.raises(ValueError, match=r"^broken\.ipynb: nbgrader's ClearSolutions refused"):
        tools.learner_edition(nb, name="broken.ipynb")


# --- the source follows the convention (SPEC.md) -------------------------------------------------


def test_each_solution_cell_is_followed_by_its_check_cell(source):
    label, nb = source
    problems = []
    for i, cell in enumerate(nb.cells):
        meta = tools.nbgrader_meta(cell)
        if not meta.get("solution"):
            continue
        gid = meta.get("grade_id", f"<cell {i} has no grade_id>")
        if meta.get("grade") or meta.get("locked") or meta.get("schema_version") != 3:
            problems.append(
                f"cell {i} ({gid}): a solution cell has grade: false, locked: false, schema_version: 3; it has {meta}"
            )
        for region in re.finditer(r"^([ \t]*)### BEGIN SOLUTION", cell.source, re.M):
            if not region.group(1):
                problems.append(
                    f"cell {i} ({gid}): the solution region is at top level; put it in a "
                    "function's body, or Run All on the learner edition raises"
                )
        nxt = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        check = tools.nbgrader_meta(nxt) if nxt is not None else {}
        want = f"{gid}-check"
        if not check.get("grade"):
            problems.append(f"cell {i} ({gid}): no graded check cell right after it (want grade_id {want!r})")
            continue
        if check.get("grade_id") != want:
            problems.append(f"cell {i + 1}: the check of {gid} has grade_id {check.get('grade_id')!r}, want {want!r}")
        if check.get("solution") or not check.get("locked") or check.get("schema_version") != 3:
            problems.append(
                f"cell {i + 1} ({want}): a check cell has solution: false, locked: true, "
                f"schema_version: 3; it has {check}"
            )
        if not (isinstance(check.get("points"), (int, float)) and check["points"] > 0):
            problems.append(f"cell {i + 1} ({want}): points must be a positive number, got {check.get('points')!r}")
        hidden = re.search(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", nxt.source, re.S)
        if not hidden or "assert" not in hidden.group(1):
            problems.append(
                f"cell {i + 1} ({want}): no `assert` between ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS. "
                "A friendly checker prints and returns, so without it an unsolved notebook earns the points: "
                "add `assert result.passed, result.summary` there"
            )
    assert not problems, f"{label}:\n  " + "\n  ".join(problems)


def test_learner_solution_cells_only_define(source):
    """After nbgrader's stub replaces the solution, the cell still runs: the `raise` sits in a body."""
    label, nb = source
    problems = []
    for i, cell in enumerate(tools.learner_edition(nb, name=label).cells):
        if not tools.is_solution_cell(cell) or cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as err:
            problems.append(f"cell {i}: the learner's cell is not valid Python after the stub: {err}")
            continue
        if any(isinstance(node, ast.Raise) for node in tree.body):
            problems.append(f"cell {i}: `raise NotImplementedError()` at top level: Run All would stop here")
    assert not problems, f"{label}:\n  " + "\n  ".join(problems)


def test_grade_ids_are_unique_across_the_course():
    ids = []
    for name in [p.name for p in SOURCES] + [FIXTURE]:
        label, nb = read_source(name)
        ids += [(tools.nbgrader_meta(c)["grade_id"], label) for c in nb.cells if "grade_id" in tools.nbgrader_meta(c)]
    counts = Counter(gid for gid, _ in ids)
    dupes = [
        f"{gid}: {sorted({lab for g, lab in ids if g == gid})} ({n} cells)"
        for gid, n in sorted(counts.items())
        if n > 1
    ]
    assert not dupes, (
        "grade_ids used more than once (name them nbNN-what, e.g. nb04-linear-backward):\n  " + "\n  ".join(dupes)
    )


def test_make_notebooks_nb_selects_sources():
    """`make notebooks NB="04 05"` regenerates those two, plain `make notebooks` every source."""
    import shutil
    import subprocess

    if not shutil.which("make"):
        pytest.skip("make is not installed")

    def planned(*args):
        out = subprocess.run(
            ["make", "-n", "notebooks", *args], cwd=tools.ROOT, capture_output=True, text=True, check=True
        ).stdout
        line = next(ln for ln in out.splitlines() if "notebook_tools.py editions" in ln)
        assert 'PATH="' in line and "/.venv/bin:" in line, "nbgrader needs the venv's bin first on PATH"
        return line.split("notebook_tools.py editions", 1)[1].split()

    assert planned("NB=04 05") == [f"solutions/{p.name}" for p in SOURCES if p.name[:2] in ("04", "05")]
    assert planned() == [f"solutions/{p.name}" for p in SOURCES]
