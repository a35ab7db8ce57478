"""The plugin under ProperDocs, the maintained fork of MkDocs 1.6 (it loads ``mkdocs.plugins`` entry points)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_repository_site_builds_strict_with_properdocs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    html = (site / "v1.7.x" / "deployment" / "security" / "auth0" / "index.html").read_text(encoding="utf-8")
    for marker in ('class="om-steps"', 'class="admonition note"', 'class="om-figure', 'class="headerlink"'):
        assert marker in html, marker
