"""Exports: a docs version written out in another format (``om-markdoc export``)."""
