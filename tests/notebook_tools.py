"""Execute and clean the course notebooks, and build the learner edition from the source.

Used by `make notebooks` (both editions) and by the hygiene and editions tests.

    python tests/notebook_tools.py editions solutions/*.ipynb   # source -> learner edition; run both
    python tests/notebook_tools.py execute notebooks/*.ipynb    # re-execute in place
    python tests/notebook_tools.py clean notebooks/*.ipynb      # strip metadata only
    python tests/notebook_tools.py course DIR [solutions/04_backpropagation.ipynb ...]
                                                                # an nbgrader course directory

Two editions (issue 12). `solutions/NN_topic.ipynb` is the SOURCE, the one authors edit: exercise
solutions between `### BEGIN SOLUTION` / `### END SOLUTION`, graded check cells with
`### BEGIN HIDDEN TESTS`. `notebooks/NN_topic.ipynb` is the LEARNER edition, never edited by hand:
`editions` passes the source through nbgrader's own `generate_assignment` preprocessors (with the
course's `nbgrader_config.py`), so each solution region becomes `# YOUR CODE HERE` +
`raise NotImplementedError()` and hidden tests are dropped, then runs it on a fresh kernel.

Why the cleaning: nbclient stores widget state (large, and a notebook whose
`metadata.widgets` lacks a full state is rejected by GitHub's renderer) and
per-cell timing. We drop both, and we drop the live-widget mimetype from stored
outputs: every widget of the course also offers an `image/png` of its figure and a
short `text/plain`, so a notebook read on the web (or opened before it is run)
shows the picture instead of "Error displaying widget". Cell metadata keeps only
tags and what nbgrader needs (`nbgrader`, and the `editable`/`deletable` locks it sets).
"""

import copy
import os
import shutil
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "solutions"
LEARNER_DIR = ROOT / "notebooks"
NBGRADER_CONFIG = ROOT / "nbgrader_config.py"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# nbgrader: the cell's role (solution, grade, points, grade_id, checksum); editable/deletable: the
# locks nbgrader's LockCells puts on graded and solution cells of the learner edition.
CELL_METADATA_KEEP = ("tags", "nbgrader", "editable", "deletable")
EXECUTE_TIMEOUT = 180  # seconds per cell


def language_info(nb):
    """What JupyterLab stores in metadata.language_info: the kernel's own (ipykernel's kernel_info reply).

    Storing less (only {"name": "python"}) makes JupyterLab and Notebook 7 refill it on opening and
    mark every notebook modified. nbclient stores the same dict; a notebook not executed here gets
    this environment's ipykernel's.
    """
    stored = nb.metadata.get("language_info") or {}
    if stored.get("version") and stored.get("codemirror_mode"):
        return stored
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


def clean(nb):
    """Strip timing, widget state and editor metadata; keep outputs, tags and nbgrader's metadata."""
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": language_info(nb)})
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k in CELL_METADATA_KEEP})
        cell.pop("id", None)
        if cell.cell_type != "code":
            continue
        cell.outputs = coalesce_streams(cell.outputs)
        for out in cell.outputs:
            data = out.get("data")
            if data and WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
            if out.get("output_type") == "error":
                # Tracebacks of deliberate errors would otherwise carry this machine's paths.
                out["traceback"] = [line.replace(f"{ROOT}/", "") for line in out["traceback"]]
    # nbformat 4.5 wants cell ids; normalize them so re-execution does not churn.
    nb.nbformat, nb.nbformat_minor = 4, 5
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


def coalesce_streams(outputs):
    """Join consecutive prints to the same stream into one output, as nbval compares them.

    The kernel sends a cell's prints in as many messages as timing gives (one on an idle machine,
    several on a busy one); joined, a re-run stores the same bytes whatever the load.
    """
    joined = []
    for out in outputs:
        last = joined[-1] if joined else None
        if (
            out.get("output_type") == "stream"
            and last is not None
            and last.get("output_type") == "stream"
            and last.get("name") == out.get("name")
        ):
            last["text"] = "".join(last["text"]) + "".join(out["text"])
        else:
            joined.append(out)
    return joined


def run(nb, cwd, timeout=EXECUTE_TIMEOUT):
    """Run a notebook (in memory) top to bottom on a fresh kernel in `cwd`; return the seconds taken."""
    from nbclient import NotebookClient

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    return time.perf_counter() - start


def save(nb, path):
    nb = clean(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)


def execute(path, timeout=EXECUTE_TIMEOUT):
    """Run a notebook top to bottom on a fresh kernel, clean it and save it in place."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    seconds = run(nb, path.parent, timeout)
    save(nb, path)
    return seconds


# --- the learner edition ------------------------------------------------------------------------


def nbgrader_config():
    """The course's nbgrader settings (nbgrader_config.py at the repository root)."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(NBGRADER_CONFIG.name, path=str(NBGRADER_CONFIG.parent)).load_config()


def generate_steps(config=None):
    """The preprocessors `nbgrader generate_assignment` runs, in its order, minus SaveCells.

    SaveCells writes the source's cells into nbgrader's gradebook database (autograde restores the
    hidden tests from there); the learner edition needs no database. The list is read from nbgrader
    itself (or from GenerateAssignment.preprocessors in the config), so a newer nbgrader's extra
    steps are picked up; tests/test_nbgrader_roundtrip.py checks the result against the real command.
    """
    from nbgrader.converters import GenerateAssignment
    from nbgrader.preprocessors import SaveCells

    config = nbgrader_config() if config is None else config
    steps = (
        config.GenerateAssignment.get("preprocessors") or GenerateAssignment.class_traits()["preprocessors"].default()
    )
    return [cls for cls in steps if cls is not SaveCells]


def learner_edition(source, name="notebook"):
    """The learner edition of a source notebook (a new notebook, no outputs, not yet cleaned).

    Solution regions become nbgrader's stub, hidden tests and mark schemes go, graded and solution
    cells get nbgrader's locks and checksums. Raises ValueError naming `name` and nbgrader's reason
    when the source breaks nbgrader's rules (a solution region outside a solution cell, a missing
    END marker, invalid metadata).
    """
    config = nbgrader_config()
    nb = copy.deepcopy(source)
    resources = {}
    for cls in generate_steps(config):
        try:
            nb, resources = cls(config=config)(nb, resources)
        except Exception as err:  # nbgrader raises RuntimeError / ValidationError with its reason
            raise ValueError(f"{name}: nbgrader's {cls.__name__} refused the source: {err}") from err
    return nb


def nbgrader_meta(cell):
    """A cell's nbgrader metadata ({} for an ordinary cell)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def is_solution_cell(cell):
    return bool(nbgrader_meta(cell).get("solution"))


def is_graded_cell(cell):
    return bool(nbgrader_meta(cell).get("grade"))


def graded_sources():
    """The source notebooks that have at least one graded (autograded) cell."""
    return [
        p
        for p in sorted(SOURCE_DIR.glob("*.ipynb"))
        if any(is_graded_cell(c) for c in nbformat.read(p, as_version=4).cells)
    ]


def learner_path(source_path):
    """notebooks/NN_topic.ipynb for solutions/NN_topic.ipynb."""
    return LEARNER_DIR / Path(source_path).name


def editions(source_path, timeout=EXECUTE_TIMEOUT):
    """Re-execute the source in place, regenerate its learner edition and execute that too.

    Returns (seconds for the source, seconds to generate, seconds for the learner edition).
    """
    source_path = Path(source_path)
    t_source = execute(source_path, timeout)
    start = time.perf_counter()
    nb = learner_edition(nbformat.read(source_path, as_version=4), name=str(source_path))
    t_generate = time.perf_counter() - start
    dest = learner_path(source_path)
    t_learner = run(nb, dest.parent, timeout)
    save(nb, dest)
    return t_source, t_generate, t_learner


# --- a course directory for nbgrader --------------------------------------------------------------


def shown(path):
    """A path as the user reads it: relative to the repository when inside it."""
    path = Path(path).resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def course(directory, sources):
    """Lay out an nbgrader course directory: nbgrader_config.py and source/NN_topic/NN_topic.ipynb.

    One assignment per notebook, named after it. Existing files that differ are left alone (an
    instructor may have edited them) and reported.
    """
    directory = Path(directory).expanduser()
    pairs = [(NBGRADER_CONFIG, directory / "nbgrader_config.py")]
    pairs += [(Path(s).resolve(), directory / "source" / Path(s).stem / Path(s).name) for s in sources]
    for src, dest in pairs:
        if dest.exists() and dest.read_bytes() != src.read_bytes():
            print(f"kept {dest} (it differs from {shown(src)}; delete it to take the course's)")
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        print(f"{shown(src)} -> {dest}")
    return directory


def main(argv):
    commands = ("execute", "clean", "editions", "course")
    if len(argv) < 2 or argv[0] not in commands:
        print(__doc__)
        return 2
    command, paths = argv[0], argv[1:]
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if command == "course":
        sources = paths[1:] or sorted(SOURCE_DIR.glob("*.ipynb"))
        where = course(paths[0], sources)
        first = Path(sources[0]).stem if sources else "NN_topic"
        print(
            f"course directory {where}: with the venv active, `cd {where}` and "
            f"`nbgrader generate_assignment {first}` (README: For instructors)"
        )
        return 0
    total = 0.0
    for p in paths:
        if command == "execute":
            seconds = execute(p)
            total += seconds
            print(f"executed {p} in {seconds:.1f} s")
        elif command == "editions":
            if Path(p).resolve().parent != SOURCE_DIR:
                print(f"{p}: `editions` takes source notebooks (solutions/NN_topic.ipynb)")
                return 2
            t_source, t_generate, t_learner = editions(p)
            total += t_source + t_generate + t_learner
            print(
                f"{p}: executed in {t_source:.1f} s; {shown(learner_path(p))} generated in "
                f"{t_generate:.2f} s, executed in {t_learner:.1f} s"
            )
        else:
            nb = clean(nbformat.read(p, as_version=4))
            nbformat.write(nb, p)
            print(f"cleaned {p}")
    if command in ("execute", "editions"):
        print(f"total {total:.1f} s for {len(paths)} notebooks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
