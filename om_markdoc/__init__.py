"""om-markdoc: Markdoc for Python on markdown-it-py, and OpenMetadata-style docs sites on MkDocs.

The core API mirrors ``@markdoc/markdoc``::

    import om_markdoc as markdoc
    ast = markdoc.parse(source, file="page.md")
    errors = markdoc.validate(ast, config)
    html = markdoc.render_html(markdoc.transform(ast, config))
"""

__version__ = "0.1.0"

from .core.api import parse, render_html, transform, validate
from .core.ast import UNDEFINED, Function, Node, Variable
from .core.config import load_config, merge_config
from .core.tag import Tag
from .core.tokenizer import Tokenizer

__all__ = [
    "__version__",
    "parse",
    "validate",
    "transform",
    "render_html",
    "Tokenizer",
    "Node",
    "Tag",
    "Variable",
    "Function",
    "UNDEFINED",
    "load_config",
    "merge_config",
]
