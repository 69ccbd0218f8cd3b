"""A learner's work folder: `make lab` opens my-work/, a copy of notebooks/, so no work is ever lost.

    python tools/work_folder.py sync [--course notebooks] [--work my-work]

The course's own notebooks/ stay pristine (a `git pull` can update them without a conflict), and
the learner works in my-work/ (ignored by git). `sync` runs before every `make lab`:

- a course notebook with no copy in my-work/ is copied there (first use, a new notebook, or a copy
  the learner deleted to get the course version back);
- a copy the learner never changed (its SHA-256 equals the one recorded when it was copied) is
  refreshed when the course version changed;
- a copy the learner changed is never overwritten; if the course version changed too, sync says
  so and where the new version is (notebooks/NN_topic.ipynb).

The hashes live in my-work/.course-hashes.json: {"notebook name": sha256 of the copied course file}.
"""

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

HASHES = ".course-hashes.json"


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_hashes(work):
    try:
        data = json.loads((work / HASHES).read_text())
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def save_hashes(work, hashes):
    tmp = work / (HASHES + ".tmp")
    tmp.write_text(json.dumps(dict(sorted(hashes.items())), indent=1) + "\n")
    os.replace(tmp, work / HASHES)


def copy(src, dst):
    tmp = dst.with_name(dst.name + ".tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)  # never a half-written notebook


def sync(course, work):
    """Bring `work` up to date with `course`. Returns {"copied", "updated", "kept", "edited"}: names."""
    course, work = Path(course), Path(work)
    work.mkdir(parents=True, exist_ok=True)
    hashes = load_hashes(work)
    result = {"copied": [], "updated": [], "kept": [], "edited": []}
    for src in sorted(course.glob("*.ipynb")):
        name, dst = src.name, work / src.name
        new = sha256(src)
        if not dst.exists():
            copy(src, dst)
            hashes[name] = new
            result["copied"].append(name)
            continue
        recorded = hashes.get(name)
        mine = sha256(dst)
        if recorded is None:
            # A copy we never recorded (the learner put it there): treat it as theirs.
            if mine != new:
                result["kept"].append(name)
            else:
                hashes[name] = new
            continue
        edited = mine != recorded
        if new == recorded:
            if edited:
                result["edited"].append(name)
            continue
        if edited:
            result["kept"].append(name)
        else:
            copy(src, dst)
            hashes[name] = new
            result["updated"].append(name)
    save_hashes(work, hashes)
    return result


def describe(result, course, work):
    lines = []
    course, work = Path(course), Path(work)
    if result["copied"]:
        lines.append(
            f"{work}/: copied {len(result['copied'])} course notebook(s) from {course}/: " + ", ".join(result["copied"])
        )
    if result["updated"]:
        lines.append(
            f"{work}/: updated {len(result['updated'])} notebook(s) you had not changed to the new "
            "course version: " + ", ".join(result["updated"])
        )
    for name in result["kept"]:
        lines.append(
            f"{work}/{name}: kept YOUR edited copy; the course has a newer version at {course}/{name} "
            f"(open it side by side, or rename your copy and run `make lab` again to get a fresh one)"
        )
    if not any(result[k] for k in ("copied", "updated", "kept")):
        lines.append(f"{work}/: up to date with the course ({len(result['edited'])} notebook(s) with your changes)")
    return "\n".join(lines)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["sync"])
    parser.add_argument("--course", default="notebooks", help="the course's notebooks (default: notebooks)")
    parser.add_argument("--work", default="my-work", help="the learner's work folder (default: my-work)")
    args = parser.parse_args(argv)
    result = sync(args.course, args.work)
    print(describe(result, args.course, args.work), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
