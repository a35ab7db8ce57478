"""``om-markdoc serve``: the authoring preview, one version (the latest by default) or all.

It is MkDocs' live-reload server with two differences: every rebuild is a *dirty* one whose
page list comes from the plugin's content keys (a saved page re-renders that page, a saved
partial exactly the pages that include it, directly or through other partials; a saved
``menu.md`` changes every page's navigation key, so every page goes through the templates again
with its body as last rendered), and the plugin is narrowed to the chosen version.  Problems
show in the terminal and on the page; a failed rebuild is reported and the server keeps serving
the last good site.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .builder import DirtyBuildNotice, _generated_config, narrow_plugin
from .plan import BuildPlan, VersionTarget

log = logging.getLogger("mkdocs.plugins.om_markdoc.serve")


def _loader(plan: BuildPlan, version: str | None, site_dir: Path, work_dir: Path, dev_addr: str | None):
    """A function returning a fresh MkDocs config for each rebuild."""
    from mkdocs.config import load_config

    overrides = {"dev_addr": dev_addr} if dev_addr else {}

    def get_config():
        if plan.config_file is not None:
            config = load_config(str(plan.config_file), site_dir=str(site_dir), **overrides)
            narrow_plugin(config, plan, version)
            return config
        target = plan.version(version) if version else VersionTarget("", "", False)
        generated = _generated_config(plan, target, site_dir, Path(), Path())
        options = generated["plugins"][1]["om-markdoc"]
        for key in ("versions_manifest", "cache_dir"):
            options.pop(key)
        if not version:
            options.pop("version")
        path = work_dir / "mkdocs.yml"
        path.write_text(yaml.safe_dump(generated), encoding="utf-8")
        return load_config(str(path), **overrides)

    return get_config


def serve_tree(plan: BuildPlan, *, version: str | None, dev_addr: str | None = None, open_browser: bool = False) -> None:
    """Serve ``plan`` until interrupted (``version`` None: all versions in one site)."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException
    from mkdocs.livereload import LiveReloadServer

    site_dir = Path(tempfile.mkdtemp(prefix="om-markdoc-serve-"))
    work_dir = Path(tempfile.mkdtemp(prefix="om-markdoc-config-"))
    get_config = _loader(plan, version, site_dir, work_dir, dev_addr)
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = f"http://{host}:{port}{mount_path}"

    def builder(config=None) -> None:
        try:
            build(config or get_config(), serve_url=serve_url, dirty=True)
        except MkDocsException as exc:  # keep serving the last good site
            log.error("rebuild failed: %s", exc)

    logging.getLogger("mkdocs.commands.build").addFilter(DirtyBuildNotice())
    server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir), mount_path=mount_path)
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve(open_in_browser=open_browser)
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.rmtree(work_dir, ignore_errors=True)
