"""The site-layer escaping fuzz (``site_fuzz.py``), a bounded run: a few small hostile sites.

``FUZZ_SITES`` and ``FUZZ_SEED`` make it longer or different; ``benchmarks/fuzz_site.py`` runs
it with a report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .site_fuzz import MARKER, fuzz_sites, html_problems
from .test_fuzz import count

CI_SITES = 3
"""Hostile two-version sites built per suite run (~3 s each)."""


def test_hostile_sites_escape_everything(tmp_path: Path) -> None:
    sites = count("FUZZ_SITES", CI_SITES)
    stats = fuzz_sites(sites, count("FUZZ_SEED", 1), tmp_path)
    print(f"site fuzz: {stats.sites} sites, {stats.files} HTML files, {len(stats.failures)} failures")
    assert stats.sites == sites
    assert stats.files >= sites * 10  # every page of both versions, the redirects and 404s were read
    assert not stats.failures, "\n".join(stats.failures[:20])


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        (f'<a href="x/" {MARKER}-b="1">', f"injected attribute {MARKER}-b"),
        (f'<p><{MARKER}-el>x</p>', f"injected element <{MARKER}-el>"),
        ('<div onmouseover="x()">', "injected attribute onmouseover"),
        (f"<script>location.replace('x')</script><script>{MARKER}()</script>", "injected script"),
        ('<a href="a b/">', "malformed URL href='a b/'"),
        ('<link rel="next" href="q%zz/">', "malformed URL href='q%zz/'"),
        ('<img src="a&quot;b.png">', "malformed URL src='a\"b.png'"),
    ],
)
def test_the_oracle_sees_each_slip(html: str, problem: str) -> None:
    """Each kind of escaping slip is named (an oracle that finds nothing would pass any site)."""
    found = html_problems(html)
    assert len(found) == 1 and found[0].startswith(problem), found


def test_the_oracle_passes_escaped_markup() -> None:
    html = (
        f'<a href="q%22%20{MARKER}-b=%221%22/" title="&quot; {MARKER}-b=&quot;1">&lt;{MARKER}-el&gt;</a>'
        f'<script>location.replace("x\\u003c/script\\u003e{MARKER}()" + location.hash)</script>'
    )
    assert html_problems(html) == []
