"""End-to-end tests: whole MkDocs sites built with the om-markdoc plugin (this repo's site, the corpus, option matrices)."""
