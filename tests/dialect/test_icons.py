"""The icon vocabulary (``om_markdoc/dialect/icons.py``): names the OpenMetadata docs write, resolved
onto Material for MkDocs' bundled icons; unknown names show a neutral icon and are an ``info``."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

from om_markdoc.dialect.icons import ICON_ALIASES, NEUTRAL_ICON, candidates, normalise, resolve_icon
from om_markdoc.dialect.pipeline import DialectRenderer

from .test_tags import CORPUS, Rendered

ICONS = Path(material.__file__).resolve().parent / "templates" / ".icons"


def bundled(path: str) -> str:
    return (ICONS / f"{path}.svg").read_text(encoding="utf-8").strip()


# Names the OpenMetadata site uses that the first icon table did not know (issue #11).
@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("playlist_add_check", "material/playlist-check"),
        ("account_tree", "material/file-tree"),
        ("badge", "material/badge-account-horizontal-outline"),
        ("token", "material/hexagon-multiple-outline"),
    ],
)
def test_site_names_missing_before_resolve_without_a_report(written: str, path: str) -> None:
    result = Rendered(f'{{% tile title="T" link="/t" icon="{written}" /%}}')
    assert f'<span class="twemoji lg middle">{bundled(path)}</span>' in result.html
    assert result.context.diagnostics == []


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("person_add", "material/account-plus"),  # person → account, add → plus
        ("visibility_off", "material/eye-off"),
        ("filter_alt", "material/filter"),  # Google's style suffix dropped
        ("help_outline", "material/help-circle-outline"),
        ("arrow_upward", "material/arrow-up"),
        ("bar_chart", "material/chart-bar"),
        ("MdGroups", "material/account-group"),  # replaced once: not account-account-group
        ("MdOutlineInfo", "material/information"),
        ("cloud", "material/cloud"),  # same name in both sets
        ("account-cog", "material/account-cog"),  # a Material Design Icon as is
    ],
)
def test_google_names_map_by_rule(written: str, path: str) -> None:
    icon = resolve_icon(written)
    assert icon is not None and icon.known and icon.path == path


@pytest.mark.parametrize("path", ["material/file-tree", "fontawesome/solid/user", "octicons/repo-16", "simple/snowflake"])
def test_set_qualified_names_pick_any_bundled_set(path: str) -> None:
    result = Rendered(f'a {{% icon iconName="{path}" /%}} b')
    assert result.errors == [] and result.context.diagnostics == []
    assert bundled(path) in result.html


def test_normalise() -> None:
    assert normalise("MdOutlineDashboardCustomize") == "dashboard-customize"
    assert normalise("playlist_add_check") == "playlist-add-check"
    assert normalise(" Account Tree ") == "account-tree"
    assert candidates("") == []


def test_table_entries_and_neutral_icon_exist() -> None:
    missing = [name for name, target in ICON_ALIASES.items() if not (ICONS / "material" / f"{target}.svg").is_file()]
    assert missing == []
    assert (ICONS / f"{NEUTRAL_ICON}.svg").is_file()


@pytest.mark.corpus
def test_every_icon_name_of_the_corpus_is_known() -> None:
    written = re.compile(r'\bicon(?:Name)?="([^"]+)"')
    names: dict[str, int] = {}
    for page in CORPUS.rglob("*.md"):
        for name in written.findall(page.read_text(encoding="utf-8", errors="replace")):
            names[name] = names.get(name, 0) + 1
    assert len(names) > 60 and sum(names.values()) > 1500
    unknown = sorted(name for name in names if not resolve_icon(name).known)  # type: ignore[union-attr]
    assert unknown == []


def test_unknown_name_is_an_info_at_file_line_column_and_renders_neutral() -> None:
    source = '# T\n\n{% inlineCalloutContainer %}\n{% inlineCallout bold="B" href="/b" icon="zz_not_an_icon" %}\nx\n{% /inlineCallout %}\n{% /inlineCalloutContainer %}\n'
    result = DialectRenderer().render(source, file="guide.md")
    found = [(d.rule, d.severity, d.file, d.line, d.column) for d in result.diagnostics]
    assert found == [("icon-unknown", "info", "guide.md", 4, source.splitlines()[3].index("zz_not_an_icon") + 1)]
    assert bundled(NEUTRAL_ICON) in result.html


def test_blank_name_means_no_icon_and_no_report() -> None:
    result = Rendered('{% tile title="T" link="/t" icon="  " /%}')
    assert "twemoji" not in result.html and result.context.diagnostics == []
