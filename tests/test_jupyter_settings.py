"""backprop_lessons/_jupyter.py: the pre-save hook and the Notebook 7 arrow-key shortcut override."""

import json

from backprop_lessons import _jupyter

VIEW = _jupyter.WIDGET_VIEW


def _output(marked, png=True):
    data = {"text/plain": "<explorer>", VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0}}
    if png:
        data["image/png"] = "iVBOR..."
    meta = {"backprop_lessons": {"fallback": "image/png"}} if marked else {}
    return {"output_type": "execute_result", "data": data, "metadata": meta, "execution_count": 1}


def test_pre_save_hook_drops_the_live_view_of_marked_outputs_only():
    nb = {
        "cells": [
            {"cell_type": "code", "outputs": [_output(True), _output(False), _output(True, png=False)]},
            {"cell_type": "markdown", "source": "x"},
        ]
    }
    _jupyter.pre_save_hook(model={"type": "notebook", "content": nb}, path="x.ipynb")
    first, other, no_png = nb["cells"][0]["outputs"]
    assert VIEW not in first["data"] and "image/png" in first["data"]  # the picture stays
    assert VIEW in other["data"]  # someone else's widget: untouched
    assert VIEW in no_png["data"]  # nothing to fall back to: untouched
    _jupyter.pre_save_hook(model={"type": "file", "content": "text"}, path="x.txt")  # other files: ignored


def test_shortcut_override_keeps_every_arrow_binding_except_on_a_slider_handle():
    shortcuts = _jupyter.shortcut_overrides()["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    disabled = {(s["command"], s["keys"][0]) for s in shortcuts if s.get("disabled")}
    added = {(s["command"], s["keys"][0]) for s in shortcuts if not s.get("disabled")}
    assert disabled == added and len(added) == 4  # each binding replaced, none lost
    assert all(s["selector"].endswith(":not(.noUi-handle)") for s in shortcuts if not s.get("disabled"))
    assert all(s["selector"] == _jupyter.COMMAND_MODE for s in shortcuts if s.get("disabled"))


def test_install_writes_both_files_and_keeps_other_overrides(tmp_path):
    labconfig = tmp_path / "etc" / "jupyter" / "labconfig"
    labconfig.mkdir(parents=True)
    (labconfig / "default_setting_overrides.json").write_text(json.dumps({"other:plugin": {"a": 1}}))
    written = _jupyter.install(prefix=tmp_path)
    server = json.loads(written[0].read_text())
    assert server == {"ServerApp": {"jpserver_extensions": {"backprop_lessons._jupyter": True}}}
    overrides = json.loads(written[1].read_text())
    assert overrides["other:plugin"] == {"a": 1} and "@jupyterlab/shortcuts-extension:shortcuts" in overrides
