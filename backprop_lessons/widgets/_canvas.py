"""Fast figures for the explorers: draw the static parts once, then only what moves.

Shared by every explorer in ``backprop_lessons.widgets`` (notebooks 01, 02, 05,
06, 07). Not something a learner needs to read to follow the course; it is
here so that dragging a slider feels immediate.

Why not ``plt`` + an Output widget: a new inline figure per slider change
costs ~370 ms (layout ~130 ms, tight-bbox PNG ~200 ms). ``FastFigure`` instead

1. lays the figure out ONCE (``freeze_layout``: constrained layout is computed,
   then the layout engine is switched off, so later draws keep the positions);
2. draws everything that does not move (axes, ticks, contour backgrounds)
   and keeps those pixels (``copy_from_bbox``), one copy per ``static_key``;
3. per change restores those pixels and draws only the registered
   "animated" artists on top (``draw_artist``; this is called blitting);
4. encodes the pixels to PNG with Pillow at a low compression level.

Steps 3 and 4 take ~10-20 ms at 800 x 330 pixels. A full redraw happens only
when something static changes (``invalidate()``, or a new ``static_key``).
Two costs are avoided on purpose: text (matplotlib rasterizes every glyph on
every draw, ~0.3 ms each), so numbers that change go to the status line, not
into the picture; and ``imshow`` resampling (~10 ms per panel), replaced by
``PixelImage``, which copies screen-sized pixels straight onto the canvas.

``Explorer`` is the small base class the explorers share: it owns the figure,
the ``Image`` widgets, a status line and the notebook display (widget plus a
PNG and a short text, so static viewers such as GitHub show the picture). The
picture is cut into pieces, one per panel (``FastFigure.columns`` finds empty
pixel columns between them), each its own ``Image`` in a wrapping row: side by
side in a wide cell, one under the other in a narrow one (JupyterLab at 900 px
with the file browser open leaves 468 px), never shrunk to unreadable text.
Background training (``Precomputer``) and the browser/code distinction of a
change (``from_browser``) live in ``_background.py``.
"""

import base64
import contextlib
import html
import io
import math
import threading

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox, IdentityTransform, blended_transform_factory
from PIL import Image as PILImage
from traitlets import validate

from backprop_lessons.widgets._background import Precomputer, browser_change, from_browser

__all__ = [
    "FastFigure",
    "PixelImage",
    "Explorer",
    "log_slider",
    "float_slider",
    "int_slider",
    "dropdown",
    "checkbox",
    "button",
    "start_value",
    "CachedPixels",
    "Precomputer",
    "from_browser",
    "browser_change",
    "nice_grid",
    "caption_png",
]

# Labels such as "learning rate α" are cut off with ipywidgets' default label width.
_STYLE = {"description_width": "initial"}


def encode_png(rgb, compress_level=1):
    """PNG bytes of an (rows, cols, 3) uint8 array (row 0 = top), fast: plots are mostly flat colour."""
    out = io.BytesIO()
    PILImage.fromarray(np.ascontiguousarray(rgb)).save(out, format="png", compress_level=compress_level)
    return out.getvalue()


_MARGIN = 4  # px of empty picture kept on each side of a cut between two pieces (FastFigure.columns)
_OVERHANG = 12  # px an x tick label may stick out of its Axes' frame (half of "1000" in small print)


class FastFigure:
    """An Agg figure that redraws only its animated artists (blitting) and returns PNG bytes.

    width, height -- size in pixels; dpi sets the font scale (90: ~10 pt text
    stays readable when the notebook shows the image at 800 px).
    ncols, width_ratios -- a row of ``ncols`` Axes, available as ``.axes``.
    compress_level -- zlib level for the PNG (1: fast, and the files stay small
    because plots are mostly flat colour).
    """

    def __init__(self, width=800, height=330, dpi=90, ncols=2, width_ratios=None, compress_level=1):
        self.figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, layout="constrained")
        # A canvas of our own: never pyplot, so nothing leaks into the notebook's inline output.
        self.canvas = FigureCanvasAgg(self.figure)
        axes = self.figure.subplots(1, ncols, width_ratios=width_ratios, squeeze=False)
        self.axes = list(axes[0])
        self.compress_level = compress_level
        self.animated = []  # drawn every frame, in this order
        self._background = None
        self._backgrounds = {}  # static key -> cached pixels (see draw)
        self.static_key = None
        self._laid_out = False
        self.max_backgrounds = 12  # ~1 MB each at 800 x 330
        self.full_redraws = 0  # how often the static parts were redrawn (for tests and timing)

    # ---- registering what moves
    def animate(self, *artists, new=False, at=None):
        """Mark artists (lines, collections, PixelImages, short texts) as redrawn every frame.

        Returns the first artist, so ``line = fast.animate(ax.plot(...)[0])`` reads naturally.
        Order matters: later artists are drawn on top; ``at=i`` inserts them at position i
        of the drawing order instead. ``new=True``: the artists were created after the last
        draw, so no cached background contains them and none is redrawn.
        """
        for artist in artists:
            artist.set_animated(True)
            if artist not in self.animated:
                if at is None:
                    self.animated.append(artist)
                else:
                    self.animated.insert(at, artist)
                    at += 1
        if not new:
            self.invalidate()  # the cached pixels may contain the artist: redraw them without it
        return artists[0] if artists else None

    def release(self, artist, remove=True):
        """Stop animating ``artist`` (and remove it from its Axes unless ``remove=False``).

        An animated artist is never part of a cached background, so nothing is redrawn.
        """
        if artist in self.animated:
            self.animated.remove(artist)
        else:
            self.invalidate()
        if remove:
            artist.remove()

    @property
    def background(self):
        """The cached static pixels of the current static key (a BufferRegion), or None."""
        return self._background

    def invalidate(self):
        """Something static changed (an overlay, a background image): redraw it at the next draw()."""
        self._background = None
        self._backgrounds.clear()

    def freeze_layout(self):
        """Compute the constrained layout now and keep it (call once every label is set).

        Afterwards Axes positions, and so ``PixelImage.shape``, never change.
        """
        if self._laid_out:
            return
        self.figure.get_layout_engine().execute(self.figure)
        for ax in self.figure.axes:
            ax.apply_aspect()  # an equal-aspect Axes shrinks inside its layout box
        self.figure.set_layout_engine("none")
        self._laid_out = True

    # ---- drawing
    def _full_redraw(self):
        self.freeze_layout()
        self.canvas.draw()  # animated artists are skipped by Figure.draw
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.full_redraws += 1

    def draw(self, static_key=None):
        """Bring the pixels up to date: static parts from cache, animated artists on top.

        static_key -- a hashable summary of everything static that a control can change
        (e.g. the number of epochs, which sets the x axis). Backgrounds are cached per key
        (the last ``max_backgrounds``), so going back to an earlier setting costs no redraw.
        """
        if static_key != self.static_key:
            self._background = self._backgrounds.get(static_key)
            self.static_key = static_key
        if self._background is None:
            self._full_redraw()
            self._backgrounds[static_key] = self._background
            while len(self._backgrounds) > self.max_backgrounds:
                self._backgrounds.pop(next(iter(self._backgrounds)))  # oldest first (dicts keep order)
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in self.animated:
            if artist.get_visible():
                artist.draw(renderer)

    def prerender(self, static_key, apply):
        """Draw and cache the static background of ``static_key`` now, before a learner asks for it.

        ``apply(key)`` puts the figure's static parts into the state of ``key`` (axes limits,
        ticks). Afterwards ``apply(self.static_key)`` restores the current state; the canvas
        pixels are overwritten, which is fine after the current frame was encoded: the next
        draw() restores the current background from the cache. Returns True if it drew.
        """
        if (
            static_key in self._backgrounds
            or static_key == self.static_key
            or len(self._backgrounds) >= self.max_backgrounds
        ):
            return False
        current, current_bg = self.static_key, self._background
        apply(static_key)
        self.freeze_layout()
        self.canvas.draw()
        self._backgrounds[static_key] = self.canvas.copy_from_bbox(self.figure.bbox)
        self.full_redraws += 1
        apply(current)
        self.static_key, self._background = current, current_bg
        return True

    def png(self):
        """The current pixels as PNG bytes (RGB: the alpha channel would only cost time)."""
        return encode_png(np.asarray(self.canvas.buffer_rgba())[..., :3], self.compress_level)

    def columns(self, groups):
        """Cut the current picture into side-by-side pieces, one per group of Axes: [(x0, x1), ...].

        groups -- lists of indices into ``.axes``, left to right (an Axes of the figure that is
        not in ``.axes``, such as a colour bar, belongs to the group of the nearest one). Call
        after a draw. Each cut lies in a run of empty pixel columns (figure background only, top
        to bottom) between what two neighbouring groups draw (frames, ticks, labels, legends),
        at least ``_MARGIN`` px from a drawing where the run is that wide, so nothing is cut in
        two; among those places, the one nearest to equal widths.
        """
        rgba = np.asarray(self.canvas.buffer_rgba())
        background = np.round(np.asarray(self.figure.get_facecolor()[:3]) * 255).astype(np.uint8)
        empty = (rgba[..., :3] == background).all(axis=(0, 2))
        centre = {ax: ax.bbox.x0 + ax.bbox.width / 2 for ax in self.figure.axes}
        members = [[self.axes[i] for i in group] for group in groups]
        for ax in self.figure.axes:
            if all(ax not in m for m in members):
                nearest = min(range(len(groups)), key=lambda g: min(abs(centre[ax] - centre[a]) for a in members[g]))
                members[nearest].append(ax)
        renderer = self.canvas.get_renderer()

        def drawn(ax):  # frame, ticks, labels, title and legend (not the data artists: clipped to the frame)
            boxes = [ax.get_tightbbox(renderer, bbox_extra_artists=[])] if ax.axison else []
            if ax.get_legend() is not None:
                boxes.append(ax.get_legend().get_window_extent(renderer))
            return Bbox.union(boxes) if boxes else ax.bbox

        def empty_runs(lo, hi):  # runs [a, b) of empty columns in [lo, hi)
            runs, start = [], None
            for x in range(lo, hi + 1):
                if x < hi and empty[x]:
                    start = x if start is None else start
                elif start is not None:
                    runs.append((start, x))
                    start = None
            return runs

        edges = [0]
        for left, right in zip(members, members[1:]):
            lo = int(math.ceil(max(drawn(ax).x1 for ax in left)))
            hi = int(math.floor(min(drawn(ax).x0 for ax in right)))
            # An x tick label at a frame's right end sticks out by half its width, and another
            # setting ("200" epochs instead of "30") may put a wider one there: keep clear of it.
            clear = max([lo] + [int(math.ceil(ax.bbox.x1)) + _OVERHANG for ax in left if ax.axison])
            # A cut at x leaves columns x - 1 and x empty: a run [a, b) allows a + 1 <= x <= b - 1.
            runs = [r for r in empty_runs(clear, hi) if r[1] - r[0] >= 2 * _MARGIN + 2]
            runs = runs or [r for r in empty_runs(lo, hi) if r[1] - r[0] >= 2]
            runs = [(a + 1 + m, b - 1 - m) for a, b in runs for m in [min(_MARGIN, (b - a - 2) // 2)]]
            if not runs:
                raise ValueError(f"nothing but drawing between {lo} and {hi} px: the picture cannot be cut there")
            # The cut nearest to equal shares of the width: the widest piece is as narrow as it can be.
            share = self.size[0] * len(edges) / len(groups)
            edges.append(min((int(min(max(share, a), b)) for a, b in runs), key=lambda x: abs(x - share)))
        edges.append(self.size[0])
        return list(zip(edges, edges[1:]))

    @property
    def size(self):
        """(width, height) in pixels."""
        return self.canvas.get_width_height()


class PixelImage(Artist):
    """A picture that fills an Axes exactly, one array pixel per screen pixel.

    ``imshow`` resamples its array to the screen on every draw (~10 ms for a
    250 x 250 panel); here the explorer computes the colours at screen
    resolution (``shape``) and they are copied onto the canvas as they are.
    ``set_data(rgb)`` takes a (rows, cols, 3 or 4) array, floats in [0, 1] or
    uint8, row 0 at the BOTTOM (like imshow's origin="lower"). An array of
    another size is stretched to ``shape``: by repeating pixels (nearest
    neighbour: the cells of a heat map stay sharp) or, with ``smooth=True``, by
    bilinear interpolation (a coarse grid of model outputs looks smooth).
    """

    def __init__(self, ax, smooth=False):
        super().__init__()
        self.ax = ax
        self.smooth = smooth
        ax.add_artist(self)
        self.rgba = np.zeros((1, 1, 4), dtype=np.uint8)

    @property
    def shape(self):
        """(rows, cols) of screen pixels the Axes covers (final once the layout is frozen)."""
        x0, y0, x1, y1 = self._box()
        return (y1 - y0, x1 - x0)

    def _box(self):
        x0, y0, x1, y1 = self.ax.bbox.extents
        return int(round(x0)), int(round(y0)), int(round(x1)), int(round(y1))

    def set_data(self, rgb):
        rgb = np.asarray(rgb)
        if self.smooth and rgb.shape[:2] != self.shape and min(rgb.shape[:2]) > 1:
            floats = rgb.astype(np.float32) / (255.0 if rgb.dtype == np.uint8 else 1.0)  # float32: half the work
            rgb = _bilinear(floats, self.shape)
        if rgb.dtype != np.uint8:
            rgb = (np.clip(rgb, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
        if rgb.shape[2] == 3:
            rgb = np.concatenate([rgb, np.full(rgb.shape[:2] + (1,), 255, dtype=np.uint8)], axis=2)
        self.rgba = rgb
        self.stale = True

    def get_array(self):
        """The (rows, cols, 4) uint8 array last given (row 0 = bottom)."""
        return self.rgba

    def draw(self, renderer):
        if not self.get_visible():
            return
        rows, cols = self.shape
        img = self.rgba
        if img.shape[:2] != (rows, cols):
            r = np.arange(rows) * img.shape[0] // rows  # nearest source row of each screen row
            c = np.arange(cols) * img.shape[1] // cols
            img = img[r[:, None], c[None, :]]
        x0, y0, _, _ = self._box()
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.ax.bbox)
        renderer.draw_image(gc, x0, y0, np.ascontiguousarray(img))
        gc.restore()
        self.stale = False


def _bilinear(img, shape):
    """Resize img (r, c, k) to shape (R, C) by bilinear interpolation (corners stay aligned)."""
    rows, cols = shape

    def weights(n_in, n_out):
        pos = np.linspace(0.0, n_in - 1, n_out)
        i0 = np.minimum(pos.astype(np.intp), n_in - 2)
        return i0, (pos - i0).astype(img.dtype)  # source index below, fraction towards the next

    r0, fr = weights(img.shape[0], rows)
    c0, fc = weights(img.shape[1], cols)
    tmp = img[r0] * (1 - fr)[:, None, None] + img[r0 + 1] * fr[:, None, None]  # (R, c, k)
    return tmp[:, c0] * (1 - fc)[None, :, None] + tmp[:, c0 + 1] * fc[None, :, None]  # (R, C, k)


class CachedPixels(Artist):
    """Draws an artist (a legend) once per look and afterwards copies its pixels back (~0.1 ms, not ~7 ms).

    For an animated artist whose text changes rarely (a legend, an axis whose ticks follow a
    slider): ``key()`` says what it looks like (default: its texts), ``extent(renderer)`` which
    pixels to keep. Nothing else animated may overlap it, and it must be drawn
    first among the animated artists in its area: the saved pixels are background + it.
    """

    def __init__(self, artist, key=None, extent=None):
        super().__init__()
        self.artist = artist
        artist.set_animated(True)
        self.key = key or (lambda: tuple(t.get_text() for t in artist.get_texts()))
        # extent(renderer) -> the Bbox of pixels to keep (default: the artist's, with a margin)
        self.extent = extent or (lambda renderer: artist.get_window_extent(renderer).expanded(1.05, 1.2))
        self._pixels = {}

    def draw(self, renderer):
        if not self.artist.get_visible():
            return
        key = self.key()
        if key in self._pixels:
            renderer.restore_region(self._pixels[key])
            return
        self.artist.draw(renderer)
        self._pixels[key] = renderer.copy_from_bbox(self.extent(renderer))


# ------------------------------------------------------------------- controls
def nice_grid(lo, hi, extra=()):
    """The 1-2-3-5 grid from lo to hi (…, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, …) plus ``extra`` values.

    Round numbers a learner can type, say and find in the text: the slider shows
    exactly the value the code set (no 0.302 for 0.3).
    """
    values = set()
    for exp in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for mantissa in (1, 2, 3, 5):
            v = float(f"{mantissa}e{exp}")
            if lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9):
                values.add(v)
    values.update(float(v) for v in extra if lo <= v <= hi)
    return sorted(values)


class _FromBrowser:
    """Mixin of our controls: marks the changes that come from the browser (``from_browser()``).

    ipywidgets calls ``set_state`` for an "update" comm message from the frontend, and only
    then (``Widget._handle_msg``, the same in ipywidgets 8.0 and 8.1); ``control.value = x``
    in code never goes through it. An explorer may answer a browser change with a first frame
    at once and finish the work in the background, while a change in code (a notebook cell,
    a test) stays synchronous: when the assignment returns, the explorer's numbers are final.
    """

    def set_state(self, sync_data):
        with browser_change():
            super().set_state(sync_data)


class _GridSelectionSlider(_FromBrowser, widgets.SelectionSlider):
    """A SelectionSlider over numbers that snaps any number to its nearest grid value (log distance).

    Why: a value set in code (``lr=0.25``) or sent back by a browser must be a grid
    value, so the readout, the code and the prose always agree, and a browser's echo
    of the value is a no-op (it can only send a grid value back).
    """

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        grid = list(getattr(self, "_options_values", ()))
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0:
            value = min(grid, key=lambda g: abs(math.log(g) - math.log(value)))
        if value not in grid:
            # NaN, a string, 0 or a negative number: keep the current value; the explorer says so
            kept = self.value if self.value in grid else grid[0]
            callback = getattr(self, "on_reject", None)
            if callback is not None and grid and self.value in grid:
                callback(self, proposal["value"], kept)
            value = kept
        return value


class _GridFloatSlider(_FromBrowser, widgets.FloatSlider):
    """A FloatSlider whose value always lies on min + k*step (see _GridLogSlider for why)."""

    @validate("value")
    def _validate_value(self, proposal):
        value = super()._validate_value(proposal)
        if not math.isfinite(value):
            return value
        k = round((value - self.min) / self.step)
        return round(self.min + k * self.step, 10)


class _IntSlider(_FromBrowser, widgets.IntSlider):
    pass


class _Dropdown(_FromBrowser, widgets.Dropdown):
    pass


class _Checkbox(_FromBrowser, widgets.Checkbox):
    pass


def _label(v):
    """'0.0001', '0.3', '2', '1e-05': the shortest exact spelling."""
    return f"{v:g}"


def log_slider(description, value, lo, hi, extra=(), continuous_update=True):
    """A slider over the 1-2-3-5 grid from lo to hi (plus ``extra`` values): see ``nice_grid``.

    Any number set as ``.value`` (in code or by a browser) snaps to the nearest grid value.
    """
    grid = nice_grid(lo, hi, extra)
    start = min(grid, key=lambda g: abs(math.log(g) - math.log(value)))
    slider = _GridSelectionSlider(
        options=[(_label(v), v) for v in grid],
        index=grid.index(start),  # not value=: ipywidgets 8 then leaves the label empty for the first option
        description=description,
        continuous_update=continuous_update,
        style=_STYLE,
    )
    return slider


def float_slider(description, value, vmin, vmax, step=0.05, readout_format=".2f", continuous_update=True):
    """A slider from vmin to vmax; values are clamped to the ends and snapped to vmin + k*step."""
    return _GridFloatSlider(
        value=value,
        min=vmin,
        max=vmax,
        step=step,
        description=description,
        readout_format=readout_format,
        continuous_update=continuous_update,
        style=_STYLE,
    )


def int_slider(description, value, vmin, vmax, continuous_update=True):
    """An IntSlider; values outside [vmin, vmax] are clamped to the ends."""
    return _IntSlider(
        value=value, min=vmin, max=vmax, description=description, continuous_update=continuous_update, style=_STYLE
    )


def dropdown(description, options, value):
    """A Dropdown; options are names or (label, value) pairs."""
    return _Dropdown(options=options, value=value, description=description, style=_STYLE)


def checkbox(description, value=False):
    return _Checkbox(value=value, description=description, indent=False, style=_STYLE)


def button(description, tooltip=""):
    return widgets.Button(description=description, tooltip=tooltip)


def start_value(value, bounds, default, name, notes, positive=False, integer=False):
    """A starting value for a control, checked the same way by every explorer.

    Not a number (``'a'``, None), NaN/inf, or (``positive=True``) <= 0: ``default``, with a note.
    Outside ``bounds``: clamped to the nearer end, with a note (a slider would clamp silently).
    ``integer=True`` rounds to a whole number. Notes are appended to ``notes`` (a list).
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or (positive and number <= 0):
        kind = "positive number" if positive else ("whole number" if integer else "finite number")
        notes.append(f"{name} must be a {kind}, got {value!r}; using {default:g}.")
        return default
    clamped = min(max(number, bounds[0]), bounds[1])
    if integer:
        clamped = int(round(clamped))
    if clamped != number:
        where = "outside the slider's range" if not bounds[0] <= number <= bounds[1] else "not a whole number"
        notes.append(f"{name} {value!r} is {where}; using {clamped:g}.")
    return clamped


CAPTION = "A picture of the explorer: run the notebook to interact."
_CAPTION_PX = 24


def caption_png(png, text=CAPTION):
    """PNG bytes with a caption strip drawn under the picture (for viewers without a kernel)."""
    picture = PILImage.open(io.BytesIO(bytes(png))).convert("RGB")
    width, height = picture.size
    strip = Figure(figsize=(width / 90, _CAPTION_PX / 90), dpi=90, facecolor="#f0f0f0")
    FigureCanvasAgg(strip)
    label = strip.text(10, 0.5, "▶ " + text, fontsize=10.5, color="#333333", va="center", style="italic")
    label.set_transform(blended_transform_factory(IdentityTransform(), strip.transFigure))  # x in pixels
    needed = math.ceil(label.get_window_extent(strip.canvas.get_renderer()).x1) + 10
    if needed > width:  # a narrow picture (a small graph): the strip, and the picture with it, get wider
        width = needed
        strip.set_size_inches(width / 90, _CAPTION_PX / 90)
    strip.canvas.draw()
    rgba = np.asarray(strip.canvas.buffer_rgba())
    out = PILImage.new("RGB", (width, height + rgba.shape[0]), "white")
    out.paste(picture, (0, 0))
    out.paste(PILImage.fromarray(rgba[..., :3].copy()), (0, height))
    buffer = io.BytesIO()
    out.save(buffer, format="png", compress_level=6)
    return buffer.getvalue()


# ------------------------------------------------------------------- explorer
class Explorer:
    """Base of the explorers: a FastFigure shown in an Image, controls above, a status line below.

    Subclasses create ``self.fast`` (a FastFigure) and their controls, then call
    ``_finish(controls)``; they implement ``update()``, which sets the artists'
    data for the current control values and returns the status text.

    Attributes every explorer has: ``.widget`` (the box to display), ``.figure``
    (the matplotlib Figure), ``.images`` (the ipywidgets Images, one per piece of the
    picture, see ``panels``), ``.png`` (PNG bytes of the whole picture), ``.status``
    (an HTML widget), the controls by name.
    Changing a control's ``.value`` re-renders synchronously (also headless). A change
    from the browser (``from_browser()``) may instead answer with a first frame and let
    the background thread finish the work, drawing its frames with ``push``.
    """

    #: what text-only viewers (and nbval) see; short and deterministic
    text_plain = "<explorer: run the notebook to interact>"

    #: groups of ``fast.axes`` (indices, left to right) shown as separate pictures side by side;
    #: in a narrow window (900 px with the file browser open) the next one wraps below instead
    #: of the output scrolling sideways. None: every Axes is its own picture.
    panels = None

    def _finish(self, controls, rows=None, below=()):
        """Build the widget tree, wire every control to ``_on_change`` and draw the first frame.

        rows -- the controls in rows (default: one row); below -- widgets between the picture
        and the status line (the stepper's equation and key).
        """
        self.figure = self.fast.figure
        width, height = self.fast.size
        self.fast.freeze_layout()  # before the first update: PixelImage sizes are final from here on
        self.columns = self._cut_into_pieces()
        # Each piece is shown at its own pixel size, never scaled down (no 5 px text); the pieces
        # sit in a wrapping row: side by side when the cell is wide enough, stacked when not.
        self.images = [
            widgets.Image(
                format="png",
                width=str(x1 - x0),
                height=str(height),
                layout=widgets.Layout(max_width="none", min_width=f"{x1 - x0}px", flex="0 0 auto", margin="0"),
            )
            for x0, x1 in self.columns
        ]
        self._pieces = [None] * len(self.images)  # the pixels each Image shows (to skip unchanged ones)
        self.picture = widgets.Box(
            self.images, layout=widgets.Layout(display="flex", flex_flow="row wrap", align_items="flex-start")
        )
        self.status = widgets.HTML(value="")
        self._note = getattr(self, "_note", "")  # a subclass may have a note about its start values
        rows = rows or [controls]
        # Control rows wrap inside the cell (never wider than it); the status line wraps at the
        # picture's width.
        row_layout = dict(flex_flow="row wrap", align_items="center", width="100%", max_width=f"{width}px")
        boxes = [widgets.HBox(row, layout=widgets.Layout(**row_layout)) for row in rows]
        self.status.layout = widgets.Layout(max_width=f"{width}px")
        # A single piece wider than the cell (the stepper's graph) scrolls sideways inside the output.
        self.widget = widgets.VBox(
            [*boxes, self.picture, *below, self.status], layout=widgets.Layout(overflow="auto hidden")
        )
        for control in controls:
            if hasattr(control, "value") and not isinstance(control, widgets.Button):
                control.observe(self._on_change, names="value")
            if isinstance(control, _GridSelectionSlider):
                control.on_reject = self._on_reject
        self.refresh()

    def _cut_into_pieces(self):
        """Where the picture is cut into pieces (see ``panels``), found on a first frame."""
        groups = self.panels or [[i] for i in range(len(self.fast.axes))]
        if len(groups) == 1:
            return [(0, self.fast.size[0])]
        with np.errstate(all="ignore"):
            self.update()
        self.fast.draw(self.static_key())
        try:
            return self.fast.columns(groups)
        except ValueError:  # no empty column between two panels in this start state: one picture, never a crash
            return [(0, self.fast.size[0])]

    def _on_change(self, change):
        new = change["new"]
        if isinstance(new, float) and not math.isfinite(new):
            # Sliders clamp numbers to their range, but NaN/inf slip through: keep the last good value.
            name = change["owner"].description or "value"
            self._note = f"{name} must be a finite number, got {new}; kept {change['old']:.4g}."
            change["owner"].value = change["old"]  # notifies again, with a good value
            return
        self.refresh()

    def wait_precomputed(self, timeout=60.0):
        """Wait for the background pre-computation (if any) to finish: what a learner's pause gives."""
        pre = getattr(self, "precomputer", None)
        if pre is not None:
            pre.wait(timeout)

    def stop_precomputing(self):
        pre = getattr(self, "precomputer", None)
        if pre is not None:
            pre.stop()

    def _on_reject(self, control, value, kept):
        """A grid slider was given something that is not a positive number: say so, keep the value."""
        self._note = f"{control.description} must be a positive number, got {value!r}; kept {kept:g}."
        self.refresh()

    def refresh(self, full=False):
        """Recompute for the current control values and send the pieces that changed to ``.images``."""
        # One thread draws at a time (a background frame, see push); while the learner's
        # change is computed and drawn, the background thread pauses (Precomputer.foreground).
        with self._drawing_lock(), self._foreground():
            self._refresh(full)

    def _refresh(self, full):
        if full:
            self.fast.invalidate()
        with np.errstate(all="ignore"):  # divergence is a lesson here, not a warning
            text = self.update()
        self.fast.draw(self.static_key())
        self._show_pixels()
        self._set_status(text)
        # The picture is on its way to the browser: now draw the static backgrounds the next
        # change will probably need (a new x axis, depth, dataset), so it costs no full redraw.
        for key in self.next_static_keys():
            self.fast.prerender(key, self.apply_static)

    def _drawing_lock(self):
        # Created on first use (subclasses do not call an __init__ here); the first refresh
        # runs in _finish, before any background thread exists.
        if "_lock" not in self.__dict__:
            self._lock = threading.RLock()
        return self._lock

    def _foreground(self):
        pre = getattr(self, "precomputer", None)
        return pre.foreground() if pre is not None else contextlib.nullcontext()

    def push(self, wanted, wait=True):
        """Redraw from the background thread (a frame of a long computation), if ``wanted()`` still.

        ``wanted()`` is asked under the drawing lock: a frame for a setting the learner has left
        is dropped. ``wait=False``: give up after 0.1 s if another thread is drawing (it may be
        waiting for this thread's result). Never raises: an error becomes the status line.
        """
        lock = self._drawing_lock()
        if not lock.acquire(timeout=-1 if wait else 0.1):
            return False
        try:
            if not wanted():
                return False
            with browser_change():  # the frame is for the browser: update() must not block on it
                self.refresh()
            return True
        except Exception as exc:  # noqa: BLE001 - a learner sees one line, not a thread's traceback
            self._set_status(f"Could not draw this frame ({type(exc).__name__}: {exc}).")
            return False
        finally:
            lock.release()

    def _show_pixels(self):
        """Send each piece of the canvas whose pixels changed to its Image (PNG)."""
        rgba = np.asarray(self.fast.canvas.buffer_rgba())
        for k, (x0, x1) in enumerate(self.columns):
            piece = rgba[:, x0:x1, :3]
            if self._pieces[k] is not None and np.array_equal(piece, self._pieces[k]):
                continue  # e.g. a control that only changes the right panel: nothing to send on the left
            self._pieces[k] = piece.copy()
            self.images[k].value = encode_png(self._pieces[k], self.fast.compress_level)

    def next_static_keys(self):
        """Static keys a learner's next change will probably need (drawn ahead by refresh)."""
        return []

    def apply_static(self, key):
        """Put the static parts of the figure into the state of ``key`` (see FastFigure.prerender)."""
        raise NotImplementedError

    def update(self):  # pragma: no cover - every explorer defines it
        raise NotImplementedError

    def static_key(self):
        """What the static (cached) part of the picture depends on; None = nothing changes it."""
        return None

    def _set_status(self, text):
        note, self._note = self._note, ""
        parts = [html.escape(note)] if note else []
        parts.append(html.escape(text))
        # ipywidgets gives an HTML widget the line height of a control row (~28 px): a status line
        # that wraps would get huge gaps. Our own block with a normal line height.
        self.status.value = f'<div style="line-height: 1.35; padding: 2px 0">{" ".join(parts)}</div>'

    @property
    def status_text(self):
        """The status line as plain text (HTML entities and the wrapping block removed)."""
        value = self.status.value
        if value.startswith("<div") and value.endswith("</div>"):
            value = value[value.index(">") + 1 : -len("</div>")]
        return html.unescape(value)

    @property
    def png(self):
        """PNG bytes of the whole current picture (all pieces side by side)."""
        if len(self.images) == 1:
            return self.images[0].value
        return encode_png(np.concatenate(self._pieces, axis=1), self.fast.compress_level)

    def save(self, path):
        """Write the current picture to ``path`` as PNG."""
        with open(path, "wb") as f:
            f.write(self.png)

    #: the caption drawn under the static picture (GitHub, a notebook not run yet, a reopened one)
    caption = CAPTION

    def static_png(self):
        """The current picture with the caption strip: what viewers without a kernel show."""
        return caption_png(self.png, self.caption)

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        # The widget view for live kernels, plus a captioned PNG and a short text for static
        # viewers. The metadata mark lets the server's pre-save hook (backprop_lessons/_jupyter.py)
        # drop the live view from a saved notebook, so a reopened one shows the picture.
        data = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        data["image/png"] = base64.b64encode(self.static_png()).decode("ascii")
        data["text/plain"] = self.text_plain
        return data, {"backprop_lessons": {"fallback": "image/png"}}

    def __repr__(self):
        return self.text_plain
