"""The course on its oldest and its newest supported Python, in throw-away venvs (.ci/run, issue 11).

    python tools/python_jobs.py oldest-lowest   # oldest Python, the LOWEST versions pyproject allows
    python tools/python_jobs.py newest-newest   # newest Python, the newest releases
    python tools/python_jobs.py execute NB...   # (run inside a job's venv) execute notebooks headless

A job copies the working tree (the files git tracks or would track) into a temporary directory,
makes a venv there with that Python, installs uv from PyPI into it and then the course with
`uv pip install --resolution lowest-direct|highest -e '.[lab,test,bench,instructor]'` (no constraints.txt: its pins
are for Python 3.11). It prints the versions it got, runs the unit suite (`-m "not browser"`) and
executes every notebook of both editions on a fresh kernel: any error output outside a cell tagged
`raises-exception` fails the job. Cells whose text output differs from the stored one are listed
as a note (strict nbval is `make test`'s job, on the Python of constraints.txt). The directory is
removed at the end.

The supported Pythons are pyproject's "Programming Language :: Python :: 3.N" classifiers; the
interpreter is the newest ~/.pyenv/versions/3.N.* or `python3.N` on PATH. Missing, the job is
skipped with a message, but fails when CI=true.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
JOBS = {"oldest-lowest": ("oldest", "lowest-direct"), "newest-newest": ("newest", "highest")}
# The versions a job prints: pyproject's direct dependencies and the ones they pull that matter here.
SHOW = (
    "numpy",
    "matplotlib",
    "pillow",
    "ipywidgets",
    "ipykernel",
    "jupyterlab",
    "notebook",
    "pytest",
    "hypothesis",
    "nbval",
    "nbclient",
    "nbformat",
    "pyyaml",
    "threadpoolctl",
    "playwright",
    "micrograd",
    "pyparsing",
    "contourpy",
    "jupyter-client",
    "matplotlib-inline",
    "traitlets",
)


def supported_pythons(pyproject_text):
    """['3.10', '3.11', ...] from the classifiers, oldest first."""
    found = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', pyproject_text)
    return sorted(set(found), key=lambda v: tuple(map(int, v.split("."))))


def find_python(version, home=None):
    """Path of an interpreter for `version` ('3.10'), or None (pyenv's under `home`, else PATH)."""
    home = Path.home() if home is None else home
    pyenv = sorted(
        (home / ".pyenv" / "versions").glob(f"{version}.*/bin/python"),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parts[-3])),
    )
    pyenv = [p for p in pyenv if re.fullmatch(rf"{re.escape(version)}\.\d+", p.parts[-3])]
    if pyenv:
        return pyenv[-1]
    found = shutil.which(f"python{version}")
    return Path(found) if found else None


def in_ci():
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def tracked_files():
    """Files git tracks or would track (new, not ignored), relative to the repository root."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    return [p for p in out.decode().split("\0") if p and (ROOT / p).is_file()]


def step(title, cmd, cwd, env):
    print(f"[{title}] $ {' '.join(map(str, cmd))}", flush=True)
    start = time.monotonic()
    code = subprocess.run(list(map(str, cmd)), cwd=cwd, env=env).returncode
    print(f"[{title}] exit {code} in {time.monotonic() - start:.0f} s", flush=True)
    if code != 0:
        raise SystemExit(f"{title} failed (exit {code})")


def run_job(name):
    which, resolution = JOBS[name]
    versions = supported_pythons((ROOT / "pyproject.toml").read_text())
    version = versions[0] if which == "oldest" else versions[-1]
    python = find_python(version)
    if python is None:
        message = f"{name}: no Python {version} (looked in ~/.pyenv/versions/{version}.* and PATH)"
        if in_ci():
            raise SystemExit(f"{message}; CI=true, so this job may not be skipped")
        print(f"SKIPPED {message}")
        return 0
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"bl-{name}-") as tmp:
        tmp = Path(tmp)
        work = tmp / "course"
        for rel in tracked_files():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, work / rel)
        venv = tmp / "venv"
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env.update(ONE_THREAD)
        env["JUPYTER_DATA_DIR"] = str(tmp / "jupyter-data")  # hides a user's own kernelspecs
        env["JUPYTER_CONFIG_DIR"] = str(tmp / "jupyter-config")
        env["IPYTHONDIR"] = str(tmp / "ipython")
        env["MPLCONFIGDIR"] = str(tmp / "mpl")
        bin_ = venv / "bin"
        env["PATH"] = f"{bin_}{os.pathsep}{env.get('PATH', '')}"
        print(f"[{name}] Python {version} at {python}, resolution {resolution}, in {tmp}", flush=True)
        step("venv", [python, "-m", "venv", venv], work, env)
        step("uv", [bin_ / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "uv"], work, env)
        step(
            "install",
            [
                bin_ / "uv",
                "pip",
                "install",
                "-q",
                "--python",
                bin_ / "python",
                "--resolution",
                resolution,
                "-e",
                ".[lab,test,bench,instructor]",  # [instructor] (nbgrader) installs nothing on Python 3.10
            ],
            work,
            env,
        )
        show_versions(bin_ / "python", work, env)
        step(
            "unit suite",
            [bin_ / "python", "-m", "pytest", "tests", "-m", "not browser", "-q", "-p", "no:cacheprovider"],
            work,
            env,
        )
        notebooks = sorted(
            str(p.relative_to(work)) for d in ("notebooks", "solutions") for p in (work / d).glob("*.ipynb")
        )
        step("notebooks", [bin_ / "python", "tools/python_jobs.py", "execute", *notebooks], work, env)
    print(f"[{name}] passed in {time.monotonic() - start:.0f} s")
    return 0


def show_versions(python, cwd, env):
    code = (
        "import sys, importlib.metadata as m\n"
        f"names = {SHOW!r}\n"
        "got = {}\n"
        "for n in names:\n"
        "    try: got[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print('[versions] Python', sys.version.split()[0] + ';', ', '.join(f'{k} {v}' for k, v in got.items()))"
    )
    subprocess.run([str(python), "-c", code], cwd=cwd, env=env, check=True)


# --- inside a job's venv --------------------------------------------------------------------------


def _text(outputs):
    """A cell's printed text and the text/plain of its results, as lines. Streams are joined first,
    as nbval does: when a print lands relative to a figure depends on flush timing, not on the code."""
    stdout = "".join(o["text"] for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stdout")
    shown = [o["data"]["text/plain"] for o in outputs if "text/plain" in o.get("data", {})]
    return stdout.splitlines() + [line for text in shown for line in text.splitlines()]


def execute(paths, timeout=300):
    """Run each notebook on a fresh kernel of this Python; 1 if any cell errs unexpectedly."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    failed = 0
    for path in paths:
        stored = nbformat.read(path, as_version=4)
        nb = nbformat.read(path, as_version=4)
        start = time.monotonic()
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(Path(path).parent)}},
        )
        try:
            client.execute()
        except CellExecutionError as exc:
            failed += 1
            print(f"FAILED {path}: an error output outside a raises-exception cell\n{exc}", flush=True)
            continue
        seconds = time.monotonic() - start
        code_cells = [(a, b) for a, b in zip(stored.cells, nb.cells) if a.cell_type == "code"]
        unexpected = [
            i
            for i, (_, cell) in enumerate(code_cells)
            if any(o.get("output_type") == "error" for o in cell.outputs)
            and "raises-exception" not in cell.metadata.get("tags", [])
        ]
        stderr = [
            i
            for i, (_, cell) in enumerate(code_cells)
            if any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in cell.outputs)
        ]
        differ = [
            i
            for i, (a, b) in enumerate(code_cells)
            if "nbval-ignore-output" not in a.metadata.get("tags", []) and _text(a.outputs) != _text(b.outputs)
        ]
        if unexpected:
            failed += 1
            print(f"FAILED {path}: error output in cells {unexpected} (nbval numbering)", flush=True)
        print(
            f"executed {path} in {seconds:.1f} s; no unexpected errors"
            + (f"; stderr in cells {stderr}" if stderr else "")
            + (f"; note: text differs from the stored output in cells {differ}" if differ else ""),
            flush=True,
        )
        for i in differ:
            old, new = _text(code_cells[i][0].outputs), _text(code_cells[i][1].outputs)
            first = next((k for k, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
            print(
                f"    cell {i}: stored {(old[first : first + 1] or [''])[0][:110]!r}\n"
                f"    {' ' * len(str(i))}       now {(new[first : first + 1] or [''])[0][:110]!r}",
                flush=True,
            )
    return 1 if failed else 0


def main(argv):
    if argv and argv[0] in JOBS:
        return run_job(argv[0])
    if argv and argv[0] == "execute":
        return execute(argv[1:])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
