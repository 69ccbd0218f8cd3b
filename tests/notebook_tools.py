"""Execute and clean the course notebooks so that their committed outputs are reproducible.

Used by `make notebooks` (re-execute every notebook in place) and by the hygiene tests.

    python tests/notebook_tools.py execute notebooks/*.ipynb
    python tests/notebook_tools.py clean notebooks/*.ipynb     # strip metadata only

Why the cleaning: nbclient stores widget state (large, and a notebook whose
`metadata.widgets` lacks a full state is rejected by GitHub's renderer) and
per-cell timing. We drop both, and we drop the live-widget mimetype from stored
outputs: every widget of the course also offers an `image/png` of its figure and a
short `text/plain`, so a notebook read on the web (or opened before it is run)
shows the picture instead of "Error displaying widget".
"""

import os
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
CELL_METADATA_KEEP = ("tags",)


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
    """Strip timing, widget state and editor metadata; keep outputs and tags."""
    nb.metadata = nbformat.from_dict(
        {"kernelspec": KERNELSPEC, "language_info": language_info(nb)}
    )
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in CELL_METADATA_KEEP}
        )
        cell.pop("id", None)
        if cell.cell_type != "code":
            continue
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


def execute(path, timeout=180):
    """Run a notebook top to bottom on a fresh kernel, clean it and save it in place."""
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
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
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    seconds = time.perf_counter() - start
    nb = clean(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv):
    if len(argv) < 2 or argv[0] not in ("execute", "clean"):
        print(__doc__)
        return 2
    command, paths = argv[0], argv[1:]
    os.environ.setdefault("PYTHONHASHSEED", "0")
    total = 0.0
    for p in paths:
        if command == "execute":
            seconds = execute(p)
            total += seconds
            print(f"executed {p} in {seconds:.1f} s")
        else:
            nb = clean(nbformat.read(p, as_version=4))
            nbformat.write(nb, p)
            print(f"cleaned {p}")
    if command == "execute":
        print(f"total {total:.1f} s for {len(paths)} notebooks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
