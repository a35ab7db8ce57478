"""Renderers of the render tree."""

from .html import render_html

__all__ = ["render_html"]
