"""``python -m om_markdoc``: the same command as ``om-markdoc``, for environments without its script on PATH."""

import sys

from .cli import main

sys.exit(main())
