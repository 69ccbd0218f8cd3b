"""Run make targets side by side; print each one's output as one block, then a table of times.

    python tools/jobs.py [-j 2] TARGET...

Used by `make test` and `make ci`: the test suite, the per-kernel nbval runs and the Python-version
jobs are independent, so on 2 cores two of them run at once. Targets start in the order given (put
the longest first). Each target's output goes to a log under .jobs/ and is printed as one block,
framed by its name, when it ends, so interleaved lines never hide which run a failure belongs to.
Each target's wall and CPU time (its whole process tree) are reported: on a shared machine the
CPU seconds, divided by the cores, say what the run would take on an idle one. The exit status is
1 if any target failed.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# pytest's one-line summaries of failures, to repeat them under the table
SUMMARY_LINE = re.compile(r"^(FAILED|ERROR) \S")


def run(targets, jobs, make="make", cwd=ROOT):
    """Run `make TARGET` for every target, at most `jobs` at once.

    Returns ({target: (exit status, wall seconds, CPU seconds)}, wall seconds of the whole run).
    """
    logs = Path(cwd) / ".jobs"
    logs.mkdir(exist_ok=True)
    # The logs are files, so pytest would drop its colours but nbval would keep its own escape codes;
    # colour both when the blocks end up on a terminal, neither when they go to a CI log.
    env = dict(os.environ)
    colour = "--color=yes" if sys.stdout.isatty() else "--color=no"
    env["PYTEST_ADDOPTS"] = f"{env.get('PYTEST_ADDOPTS', '')} {colour}".strip()
    pending, running, results = list(targets), {}, {}
    start_all = time.monotonic()
    while pending or running:
        while pending and len(running) < jobs:
            target = pending.pop(0)
            log = (logs / f"{target}.log").open("w")
            proc = subprocess.Popen(
                [make, "--no-print-directory", target],
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )
            running[target] = (proc, log, time.monotonic())
            print(f"[jobs] started  {target}", flush=True)
        time.sleep(0.5)
        for target, (proc, log, started) in list(running.items()):
            # wait4 also gives the CPU time of the target's whole process tree (its reaped children):
            # on a shared machine wall times say little, CPU seconds say what the job costs.
            pid, wait_status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == 0:
                continue
            proc.returncode = code = os.waitstatus_to_exitcode(wait_status)
            log.close()
            seconds = time.monotonic() - started
            results[target] = (code, seconds, usage.ru_utime + usage.ru_stime)
            del running[target]
            status = "ok" if code == 0 else f"FAILED (exit {code})"
            text = (logs / f"{target}.log").read_text(errors="replace")
            print(f"\n{'═' * 8} {target} {'═' * max(4, 70 - len(target))}", flush=True)
            print(text.rstrip(), flush=True)
            print(
                f"{'═' * 8} {target}: {status} in {seconds:.0f} s ({results[target][2]:.0f} s CPU) {'═' * 30}\n",
                flush=True,
            )
    return results, time.monotonic() - start_all


def report(results, wall, cwd=ROOT, cores=2):
    print("[jobs] summary            wall      CPU")
    for target, (code, seconds, cpu) in results.items():
        print(f"  {'ok    ' if code == 0 else 'FAILED'}  {seconds:6.0f} s  {cpu:6.0f} s  {target}")
    total = sum(cpu for _, _, cpu in results.values())
    print(f"  wall time {wall:.0f} s; CPU time {total:.0f} s, so about {total / cores:.0f} s on {cores} idle cores")
    failed = [t for t, (code, _, _) in results.items() if code != 0]
    for target in failed:
        lines = (Path(cwd) / ".jobs" / f"{target}.log").read_text(errors="replace").splitlines()
        for line in lines:
            if SUMMARY_LINE.match(line):
                print(f"  {target}: {line}")
    return 1 if failed else 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("targets", nargs="+")
    args = parser.parse_args(argv)
    results, wall = run(args.targets, args.jobs, make=os.environ.get("MAKE", "make"))
    return report(results, wall, cores=args.jobs)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
