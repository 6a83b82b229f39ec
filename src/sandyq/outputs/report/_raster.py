"""The report's SVG charts as PNG, for Word: drawn by Debian's librsvg into a cairo image, through ctypes.

The DOCX keeps each chart as SVG (Word 2016+ and LibreOffice show it) with this
PNG beside it, which older readers show instead — one drawing, the SVG, behind
both.  librsvg and cairo are Debian libraries (``librsvg2-2``), loaded when first
needed; without them :func:`svg_png` raises :class:`~sandyq.errors.OutputError`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any

from ...errors import OutputError

__all__ = ["svg_png"]


class _Rect(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double), ("width", ctypes.c_double), ("height", ctypes.c_double)]


@functools.cache
def _libs() -> tuple[Any, Any, Any]:
    names = {"rsvg": ("rsvg-2", "librsvg-2.so.2"), "cairo": ("cairo", "libcairo.so.2")}
    found = []
    for short, soname in names.values():
        path = ctypes.util.find_library(short) or soname
        try:
            found.append(ctypes.CDLL(path))
        except OSError as exc:
            raise OutputError(
                f"the DOCX report draws its charts with {soname} (Debian: apt-get install librsvg2-2): {exc}"
            ) from exc
    rsvg, cairo = found
    rsvg.rsvg_handle_new_from_data.restype = ctypes.c_void_p
    rsvg.rsvg_handle_new_from_data.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p]
    rsvg.rsvg_handle_render_document.argtypes = [
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.POINTER(_Rect),
        ctypes.c_void_p,
    ]
    cairo.cairo_image_surface_create.restype = ctypes.c_void_p
    cairo.cairo_image_surface_create.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    cairo.cairo_create.restype = ctypes.c_void_p
    cairo.cairo_create.argtypes = [ctypes.c_void_p]
    for fn in ("cairo_destroy", "cairo_surface_destroy", "cairo_surface_flush"):
        getattr(cairo, fn).argtypes = [ctypes.c_void_p]
    cairo.cairo_set_source_rgb.argtypes = [ctypes.c_void_p, ctypes.c_double, ctypes.c_double, ctypes.c_double]
    cairo.cairo_paint.argtypes = [ctypes.c_void_p]
    cairo.cairo_scale.argtypes = [ctypes.c_void_p, ctypes.c_double, ctypes.c_double]
    cairo.cairo_surface_write_to_png_stream.argtypes = [ctypes.c_void_p, _WRITE, ctypes.c_void_p]
    gobject = ctypes.CDLL(ctypes.util.find_library("gobject-2.0") or "libgobject-2.0.so.0")
    gobject.g_object_unref.argtypes = [ctypes.c_void_p]
    return rsvg, cairo, gobject


_WRITE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_ubyte), ctypes.c_uint)


def svg_png(svg: str, width: int, height: int, scale: float = 2.0) -> bytes:
    """``svg`` (a drawing ``width`` × ``height`` CSS pixels) as PNG bytes at ``scale`` pixels per CSS pixel."""
    rsvg, cairo, gobject = _libs()
    data = svg.encode("utf-8")
    handle = rsvg.rsvg_handle_new_from_data(data, len(data), None)
    if not handle:
        raise OutputError("librsvg could not read a chart of the report")
    w, h = int(width * scale), int(height * scale)
    surface = cairo.cairo_image_surface_create(1, w, h)  # CAIRO_FORMAT_RGB24
    cr = cairo.cairo_create(surface)
    chunks: list[bytes] = []

    def write(_closure: Any, buf: Any, n: int) -> int:
        chunks.append(ctypes.string_at(buf, n))
        return 0  # CAIRO_STATUS_SUCCESS

    try:
        cairo.cairo_set_source_rgb(cr, 1.0, 1.0, 1.0)
        cairo.cairo_paint(cr)
        cairo.cairo_scale(cr, scale, scale)
        viewport = _Rect(0.0, 0.0, float(width), float(height))
        if not rsvg.rsvg_handle_render_document(handle, cr, ctypes.byref(viewport), None):
            raise OutputError("librsvg could not draw a chart of the report")
        cairo.cairo_surface_flush(surface)
        cairo.cairo_surface_write_to_png_stream(surface, _WRITE(write), None)
    finally:
        cairo.cairo_destroy(cr)
        cairo.cairo_surface_destroy(surface)
        gobject.g_object_unref(handle)
    return b"".join(chunks)
