"""Site-layer escaping fuzz: hostile slugs, titles, menu labels and descriptions through a real build.

The in-process fuzz (``test_fuzz.py``) stops at the renderer; what MkDocs and Material do with
the values around it (navigation, ``<title>``, ``<meta name="description">``, ``<link
rel=next>``, the footer, redirect pages) is only seen in a built site.  Each example here is a
small one-version tree whose front matter and menu hold generated hostile values; the site is
built with ``om-markdoc build`` and every HTML file is read back by ``html.parser``.  The oracle
(``html_problems``) finds what an escaping slip would leave behind:

* an element or attribute whose name carries ``MARKER`` (a payload broke out of text or a
  quoted attribute value), or any ``on*`` event attribute;
* a ``<script>`` element whose code starts with ``MARKER`` (a payload closed a script and
  opened its own);
* an ``href`` or ``src`` that is no well-formed URL (characters a URL cannot hold, a ``%``
  without two hex digits).

The work is bounded by the number of sites built, never by time: the suite builds a few
(``test_site_fuzz.py``), a long run as many as asked (``benchmarks/fuzz_site.py --sites N``).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

MARKER = "omxinj"
"""Every payload's injected element, attribute or script names this; real markup never does."""

PAYLOADS = (
    f'"><{MARKER}-el {MARKER}-a="1">',
    f"'><{MARKER}-el>",
    f'" {MARKER}-b="1" x="',
    f"' {MARKER}-c='1' x='",
    f"</script><script>{MARKER}()</script>",
    f"</title><{MARKER}-el>",
    f"<!--<script>{MARKER}()</script>-->",
    f'" onmouseover="{MARKER}()" x="',
    "\u2028\u2029",
    "&amp;&lt;&#34;&",
    "%",
    "%zz",
    "%22",
    "#frag?q=1",
    "..",
    "./",
    "a b\tc",
    "\\back\\slash",
    "{{ config }}{% raw %}",
    "`^|{}",
    "naïve 日本",
)
"""Pieces hostile values are made of: breakouts for text, both attribute quotes and scripts,
entities, and everything a URL path cannot hold as written."""

HREF_OK = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*")
"""RFC 3986 URI characters, ``%`` only as an escape."""


class Oracle(HTMLParser):
    """Collects the problems of one HTML text (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if MARKER in tag:
            self.problems.append(f"injected element <{tag}>")
        for name, value in attrs:
            if MARKER in name or name.startswith("on"):
                self.problems.append(f"injected attribute {name}={value!r} on <{tag}>")
            if name in ("href", "src") and value is not None and not HREF_OK.fullmatch(value):
                self.problems.append(f"malformed URL {name}={value!r} on <{tag}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip().startswith(MARKER):
            self.problems.append(f"injected script {data.strip()[:60]!r}")


def html_problems(text: str) -> list[str]:
    """What an escaping slip left in ``text`` (``[]``: nothing)."""
    oracle = Oracle()
    oracle.feed(text)
    oracle.close()
    return oracle.problems


def hostile(rng: random.Random) -> str:
    """One hostile value: one to three payloads around ordinary words."""
    parts = [rng.choice(("a", "Setup", "x-y", ""))]
    for _ in range(rng.randint(1, 3)):
        parts += [rng.choice(PAYLOADS), rng.choice(("", "b", "/", " "))]
    return "".join(parts)


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value)


VERSIONS = ("v1.0.x", "v1.1.x")
"""Two versions, so the build also writes ``latest/`` redirect pages and version banners."""


def hostile_tree(rng: random.Random, pages: int = 3) -> dict[str, str]:
    """An OpenMetadata tree of ``VERSIONS``, each with a home page, ``pages`` pages whose slug,
    title and description are hostile, a menu with hostile labels leading to them, and a page
    without a slug whose file name is hostile."""
    files = {"content/v1.0.x/index.md": "---\ntitle: Home\nslug: /\n---\n\n# Home\n\nWelcome.\n"}
    menu = ["---", "site_menu:", "  - category: Home", "    url: /"]
    for i in range(pages):
        slug = f"/p{i}/" + hostile(rng)
        files[f"content/v1.0.x/p{i}.md"] = (
            f"---\ntitle: {_quoted(hostile(rng))}\nslug: {_quoted(slug)}\ndescription: {_quoted(hostile(rng))}\n---\n\n"
            f"# Page {i}\n\nText.\n"
        )
        menu += [f"  - category: {_quoted('Home / ' + hostile(rng).replace('/', ' '))}", f"    url: {_quoted(slug)}"]
    files["content/v1.0.x/menu.md"] = "\n".join([*menu, "---", ""])
    name = "f-" + re.sub(r"[/\x00]", "", hostile(rng))  # no slug: the URL comes from this file name
    files[f"content/v1.0.x/{name}.md"] = f"---\ntitle: {_quoted(hostile(rng))}\n---\n\n# File\n"
    for version in VERSIONS[1:]:
        files.update({name.replace("/v1.0.x/", f"/{version}/"): text for name, text in list(files.items())})
    return files


@dataclass
class SiteFuzzStats:
    sites: int = 0
    files: int = 0
    failures: list[str] = field(default_factory=list)


def fuzz_sites(count: int, seed: int, workdir: Path) -> SiteFuzzStats:
    """Build ``count`` hostile sites (seeded) and run the oracle over every HTML file."""
    from om_markdoc.build.builder import build_site
    from om_markdoc.build.plan import plan_build

    from .conftest import write

    rng = random.Random(seed)
    stats = SiteFuzzStats()
    for number in range(count):
        files = hostile_tree(rng)
        tree = write(workdir / f"tree{number}", dict(files))
        site = workdir / f"site{number}"
        report = build_site(plan_build(tree), site, jobs=1)
        if not report.ok:
            stats.failures.append(f"seed {seed}, site {number}: build failed: {[r.error for r in report.results]}")
        for page in sorted(site.rglob("*.html")):
            stats.files += 1
            for problem in html_problems(page.read_text(encoding="utf-8")):
                stats.failures.append(f"seed {seed}, site {number}: {page.relative_to(site)}: {problem}")
        stats.sites += 1
    return stats
