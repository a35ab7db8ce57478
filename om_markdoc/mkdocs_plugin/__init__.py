"""The ``om-markdoc`` MkDocs plugin: a thin adapter from MkDocs' hooks to the site and dialect layers."""
