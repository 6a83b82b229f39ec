"""Outputs: the command line, rendering of tables, and (later) the web dashboard and exports."""

from ._render import FORMATS, render_frame

__all__ = ["FORMATS", "render_frame"]
