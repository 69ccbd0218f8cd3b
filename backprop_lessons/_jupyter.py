"""Two settings that make the explorers behave in JupyterLab 4 and Notebook 7 (installed with the package).

Nothing here is imported by the notebooks; the Jupyter server reads it. Both work around
upstream behaviour that a course cannot change (checked in jupyterlab 4.6.6, notebook 7.6.5,
ipywidgets 8.1.9 / jupyterlab_widgets 3.0.17):

1. ``pre_save_hook``: a notebook saved while its explorers are live (JupyterLab autosaves every
   ~2 min) stores the live-widget output. Reopened without that kernel's widget models,
   ipywidgets' renderer shows "Error displaying widget: model not found" and never falls back
   to the picture stored beside it (jupyterlab_widgets' ``WidgetRenderer.renderModel`` sets that
   text once the manager is restored; upstream, open: jupyter-widgets/ipywidgets#3183 "Display
   image even when restarting notebook", matplotlib/ipympl#473 "Still getting 'Model not found'
   error instead of static figure when saving and re-opening the notebook"). Before a notebook is
   written, the hook drops the live-widget mimetype from outputs that the course's explorers
   marked as having a static picture (output metadata ``backprop_lessons.fallback``); the open
   page keeps its live widgets (a save does not re-read the file), a reopened notebook shows
   the picture with its "run the notebook to interact" caption. This module is a tiny Jupyter
   server extension that registers the hook (``register_pre_save_hook``: a learner's own
   ``pre_save_hook`` keeps working), enabled by
   ``etc/jupyter/jupyter_server_config.d/backprop_lessons.json``.

2. ``shortcut_overrides()``: Notebook 7 handles keydown in the capture phase (JupyterLab 4 starts
   its application with ``bubblingKeydown: true``, Notebook 7.6 does not), so the command-mode
   arrow-key shortcuts (``notebook:move-cursor-*``, selector ``… :focus``) fire before a
   focused slider handle sees the key: the selected cell moves, the slider does not (the option
   came with jupyterlab/lumino#635; the same cause in jupyter-widgets/ipywidgets#3926, open:
   "Jupyter notebook > 7 keyboard shortcuts get active when typing in a Textarea"; JupyterLite
   switched to bubbling for it in jupyterlite/jupyterlite#1702). The
   override disables those four bindings and re-adds them with a selector that excludes a
   focused slider handle (``.noUi-handle``), in both front-ends. Installed as
   ``etc/jupyter/labconfig/default_setting_overrides.json`` (jupyterlab_server reads it for
   JupyterLab and Notebook 7).
"""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MARK = "backprop_lessons"  # output metadata key: {"fallback": "image/png"}

COMMAND_MODE = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
_ARROWS = {
    "ArrowDown": "notebook:move-cursor-down",
    "ArrowUp": "notebook:move-cursor-up",
    "ArrowLeft": "notebook:move-cursor-heading-above-or-collapse",
    "ArrowRight": "notebook:move-cursor-heading-below-or-expand",
}


def shortcut_overrides():
    """The shortcuts-extension default that lets a focused slider keep its arrow keys."""
    shortcuts = []
    for key, command in _ARROWS.items():
        shortcuts.append({"command": command, "keys": [key], "selector": COMMAND_MODE, "disabled": True})
        shortcuts.append({"command": command, "keys": [key], "selector": COMMAND_MODE + ":not(.noUi-handle)"})
    return {"@jupyterlab/shortcuts-extension:shortcuts": {"shortcuts": shortcuts}}


def strip_live_widgets(nb):
    """Drop the live-widget mimetype from marked outputs of a notebook dict; returns how many."""
    stripped = 0
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            data, meta = out.get("data") or {}, out.get("metadata") or {}
            fallback = (meta.get(MARK) or {}).get("fallback") if isinstance(meta.get(MARK), dict) else None
            if WIDGET_VIEW in data and fallback in data:
                del data[WIDGET_VIEW]
                stripped += 1
    return stripped


def pre_save_hook(model=None, **kwargs):
    """jupyter_server's ContentsManager.pre_save_hook: see the module docstring (1)."""
    if model and model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        strip_live_widgets(model["content"])


def _jupyter_server_extension_points():
    return [{"module": "backprop_lessons._jupyter"}]


def _load_jupyter_server_extension(serverapp):
    serverapp.contents_manager.register_pre_save_hook(pre_save_hook)
    serverapp.log.info("backprop_lessons: saved notebooks keep the explorers' pictures (pre-save hook)")


def install(prefix=None):
    """Write both settings into the environment's Jupyter config (``make`` runs this after pip).

    prefix -- the environment (default ``sys.prefix``). Returns the paths written.
    """
    import json
    import sys
    from pathlib import Path

    etc = Path(prefix or sys.prefix) / "etc" / "jupyter"
    files = {
        etc / "jupyter_server_config.d" / "backprop_lessons.json": {
            "ServerApp": {"jpserver_extensions": {"backprop_lessons._jupyter": True}}
        },
        etc / "labconfig" / "default_setting_overrides.json": shortcut_overrides(),
    }
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.name == "default_setting_overrides.json" and path.exists():
            try:  # keep other packages' overrides
                content = {**json.loads(path.read_text()), **content}
            except ValueError:
                pass
        path.write_text(json.dumps(content, indent=1) + "\n")
    return list(files)


if __name__ == "__main__":
    for written in install():
        print(f"wrote {written}")
