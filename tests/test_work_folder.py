"""`make lab`'s work folder (tools/work_folder.py): a learner's edits survive a course update.

Each test builds a small course folder in a temp dir, syncs, lets the "learner" edit, then simulates
a `git pull` (course notebooks rewritten, one added) and syncs again.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import work_folder  # noqa: E402


def write_notebook(path, text):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"), nbformat.v4.new_code_cell(text)]
    nbformat.write(nb, path)


def code_of(path):
    return nbformat.read(path, as_version=4).cells[1].source


@pytest.fixture
def course(tmp_path):
    course = tmp_path / "notebooks"
    course.mkdir()
    for name in ("01_a", "02_b", "03_c"):
        write_notebook(course / f"{name}.ipynb", f"print('{name} v1')")
    return course


def test_first_use_copies_every_notebook_and_records_its_hash(course, tmp_path):
    work = tmp_path / "my-work"
    result = work_folder.sync(course, work)
    names = ["01_a.ipynb", "02_b.ipynb", "03_c.ipynb"]
    assert result == {"copied": names, "updated": [], "kept": [], "edited": []}
    for name in names:
        assert (work / name).read_bytes() == (course / name).read_bytes()
    hashes = json.loads((work / work_folder.HASHES).read_text())
    assert hashes == {name: work_folder.sha256(course / name) for name in names}


def test_update_refreshes_untouched_copies_and_never_overwrites_edited_ones(course, tmp_path):
    work = tmp_path / "my-work"
    work_folder.sync(course, work)
    # The learner solves an exercise in 01 and saves it; 02 and 03 stay untouched.
    write_notebook(work / "01_a.ipynb", "print('my answer')")
    # git pull: the course changes 01 and 02, leaves 03, adds 04.
    write_notebook(course / "01_a.ipynb", "print('01_a v2')")
    write_notebook(course / "02_b.ipynb", "print('02_b v2')")
    write_notebook(course / "04_d.ipynb", "print('04_d v1')")
    untouched_03 = (work / "03_c.ipynb").read_bytes()

    result = work_folder.sync(course, work)
    assert result == {"copied": ["04_d.ipynb"], "updated": ["02_b.ipynb"], "kept": ["01_a.ipynb"], "edited": []}
    assert code_of(work / "01_a.ipynb") == "print('my answer')", "the learner's work was overwritten"
    assert code_of(work / "02_b.ipynb") == "print('02_b v2')"
    assert (work / "03_c.ipynb").read_bytes() == untouched_03
    assert code_of(work / "04_d.ipynb") == "print('04_d v1')"

    message = work_folder.describe(result, course, work)
    kept_line = next(line for line in message.splitlines() if "01_a.ipynb" in line)
    assert "kept YOUR edited copy" in kept_line and f"{course}/01_a.ipynb" in kept_line
    assert "02_b.ipynb" in message and "04_d.ipynb" in message

    # The record still says which course version the learner's 01 started from, so the next sync
    # again reports the newer course version instead of forgetting it.
    again = work_folder.sync(course, work)
    assert again == {"copied": [], "updated": [], "kept": ["01_a.ipynb"], "edited": []}
    assert code_of(work / "01_a.ipynb") == "print('my answer')"


def test_nothing_changes_when_the_course_did_not(course, tmp_path):
    work = tmp_path / "my-work"
    work_folder.sync(course, work)
    write_notebook(work / "02_b.ipynb", "print('mine')")
    before = {p.name: p.read_bytes() for p in work.iterdir()}
    result = work_folder.sync(course, work)
    assert result == {"copied": [], "updated": [], "kept": [], "edited": ["02_b.ipynb"]}
    assert {p.name: p.read_bytes() for p in work.iterdir()} == before
    assert "up to date" in work_folder.describe(result, course, work)


def test_a_deleted_copy_comes_back_as_the_course_version(course, tmp_path):
    work = tmp_path / "my-work"
    work_folder.sync(course, work)
    write_notebook(work / "01_a.ipynb", "print('a mess')")
    write_notebook(course / "01_a.ipynb", "print('01_a v2')")
    (work / "01_a.ipynb").unlink()  # "delete your copy to get the new version"
    result = work_folder.sync(course, work)
    assert result["copied"] == ["01_a.ipynb"]
    assert code_of(work / "01_a.ipynb") == "print('01_a v2')"
    # ...and from now on it counts as untouched, so the next update refreshes it.
    write_notebook(course / "01_a.ipynb", "print('01_a v3')")
    assert work_folder.sync(course, work)["updated"] == ["01_a.ipynb"]


def test_a_copy_without_a_record_is_treated_as_the_learners(course, tmp_path):
    work = tmp_path / "my-work"
    work.mkdir()
    write_notebook(work / "01_a.ipynb", "print('mine, before the work folder existed')")
    result = work_folder.sync(course, work)
    assert result["kept"] == ["01_a.ipynb"] and result["copied"] == ["02_b.ipynb", "03_c.ipynb"]
    assert code_of(work / "01_a.ipynb") == "print('mine, before the work folder existed')"


def test_command_line_prints_what_it_did(course, tmp_path):
    work = tmp_path / "my-work"
    run = [sys.executable, str(ROOT / "tools" / "work_folder.py"), "sync", "--course", str(course), "--work", str(work)]
    first = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert "copied 3 course notebook(s)" in first
    write_notebook(work / "03_c.ipynb", "print('mine')")
    write_notebook(course / "03_c.ipynb", "print('03_c v2')")
    second = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert f"{course}/03_c.ipynb" in second and "kept YOUR edited copy" in second


def test_make_lab_opens_the_work_folder_and_git_ignores_it():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lab:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "tools/work_folder.py sync --course notebooks --work $(WORK)" in recipe
    assert "--ServerApp.root_dir=$(WORK)" in recipe
    assert re.search(r"^WORK \?= my-work$", makefile, re.M)
    assert "my-work/" in (ROOT / ".gitignore").read_text().splitlines()
