"""`make lab` works: the command a learner types first starts JupyterLab on the course.

Runs `make lab PORT=<free port> WORK=<temp dir>` from the repository root in a new session, with
throw-away Jupyter directories (config that also keeps the server from opening a browser or checking
for news), waits for the URL with its token, fetches /lab and the notebook listing, then stops make
and the server by their process group. The server's root is the work folder that `make lab` filled
with copies of notebooks/ (tools/work_folder.py; its update logic is tested in test_work_folder.py).
No browser needed.
"""

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest
from server_harness import ROOT, free_port, parse_server_url, stop_process_group, throwaway_env

pytestmark = pytest.mark.browser

STARTUP_TIMEOUT_S = 180  # make may (re)install the venv first when pyproject.toml changed


@pytest.fixture
def make_lab(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    port = free_port()
    env = throwaway_env(tmp_path)
    work = tmp_path / "my-work"
    proc = subprocess.Popen(
        ["make", "lab", f"PORT={port}", f"WORK={work}"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        yield proc, port, lines, work
    finally:
        stop_process_group(proc)
        reader.join(timeout=5)


def wait_for_url(proc, lines, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        url = parse_server_url(b"".join(lines).decode(errors="replace"))
        if url:
            return url
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    output = b"".join(lines).decode(errors="replace")[-3000:]
    pytest.fail(
        f"`make lab` printed no server URL with a token within {timeout} s (exit code {proc.poll()}):\n{output}"
    )


def test_make_lab_serves_jupyterlab_on_the_course(make_lab):
    proc, port, lines, work = make_lab
    before = {p.name: p.read_bytes() for p in (ROOT / "notebooks").glob("*.ipynb")}
    url = wait_for_url(proc, lines, STARTUP_TIMEOUT_S)
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname == "127.0.0.1" and parts.port == port, f"server URL {url} is not 127.0.0.1:{port}"
    token = urllib.parse.parse_qs(parts.query)["token"][0]

    with urllib.request.urlopen(url, timeout=30) as resp:
        status, body = resp.status, resp.read().decode(errors="replace")
    assert status == 200
    assert "JupyterLab" in body, "the page at /lab?token=… is not JupyterLab"

    # The server's root is the work folder, filled with exact copies of the course's notebooks.
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/contents", headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        listing = json.loads(resp.read())
    served = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
    assert served == sorted(before), f"`make lab` serves {served}, notebooks/ holds {sorted(before)}"
    for name, data in before.items():
        assert (work / name).read_bytes() == data, f"{work / name} is not a copy of notebooks/{name}"
    sys.path.insert(0, str(ROOT / "tools"))
    import work_folder

    assert work_folder.load_hashes(work) == {name: work_folder.sha256(work / name) for name in before}
    assert {p.name: p.read_bytes() for p in (ROOT / "notebooks").glob("*.ipynb")} == before
    assert proc.poll() is None, "the server exited while being used"
