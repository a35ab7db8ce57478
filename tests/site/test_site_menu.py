"""menu.md → tree, with real-world typos and broken YAML handled as diagnostics."""

from __future__ import annotations

from pathlib import Path

from om_markdoc.site.menu import check_menu_targets, load_menu, menu_key, menu_targets, parse_menu
from om_markdoc.site.pages import Page
from om_markdoc.site.slugs import SlugIndex

MENU = """---
site_menu:
  - category: Home
    url: /

  - category: Deployment
    url: /deployment
  - category: Deployment/ Kubernetes Deployment
    url: /deployment/kubernetes
  - category: Deployment / Kubernetes Deployment / Helm Values
    url: /deployment/kubernetes/helm-values
  - category: Deployment / Kubernetes Deployment / Helm Values
    url: /deployment/kubernetes/helm-values
  - category: Deployment / Ingestion / External / Airflow
    url: /deployment/ingestion/external/airflow
  - category: Schemas / Analytics / Basic
    url: /schemas/analytics/basic
  - category: Schemas / Analytics
    url: /schemas/analytics
  - category: Digitrans / SSO
    url: /digitrans/sso
    isDigitransOnly: true
  - category: Digitrans / SSO / Okta
    url: /digitrans/sso/okta
  - category: "Odd //  Part"
    url: /odd
  - category: No Url
  - just a string
  - url: /no-category
  - category: Bad Url
    url: [1, 2]
---
"""


def test_tree_from_flat_entries() -> None:
    menu = parse_menu(MENU, "v1.5.x/menu.md")
    assert [e.line for e in menu.entries[:3]] == [3, 6, 8]
    titles = [n.title for n in menu.roots]
    assert titles == ["Home", "Deployment", "Schemas", "Digitrans", "Odd", "No Url", "Bad Url"]
    deployment = menu.roots[1]
    assert deployment.url == "/deployment" and deployment.line == 6
    k8s = deployment.children[0]
    assert (k8s.title, k8s.url) == ("Kubernetes Deployment", "/deployment/kubernetes")  # typo tolerated
    assert [c.title for c in k8s.children] == ["Helm Values"]  # duplicate entry ignored
    ingestion = deployment.children[1]
    assert (ingestion.title, ingestion.url, ingestion.line, ingestion.entry) == ("Ingestion", None, None, None)
    assert ingestion.children[0].title == "External" and ingestion.children[0].children[0].title == "Airflow"
    analytics = menu.roots[2].children[0]
    assert (analytics.url, analytics.line, [c.title for c in analytics.children]) == ("/schemas/analytics", 18, ["Basic"])
    assert menu.roots[4].children[0].title == "Part"
    assert menu.roots[5].url is None and menu.roots[6].url is None
    assert [n.title for n in menu.trail("/deployment/kubernetes/helm-values")] == [
        "Deployment", "Kubernetes Deployment", "Helm Values"]
    assert menu.find("/digitrans/sso").edition_only  # type: ignore[union-attr]
    assert menu.trail("/nowhere") == [] and menu.find("/nowhere") is None
    assert sum(1 for _ in menu.walk()) == 17


def test_menu_diagnostics() -> None:
    menu = parse_menu(MENU, "v1.5.x/menu.md")
    got = [(d.rule, d.severity, d.line) for d in menu.diagnostics]
    assert ("menu-category-format", "info", 8) in got
    assert ("menu-duplicate-category", "warning", 12) in got
    assert ("menu-parent-missing", "info", 14) in got  # Deployment / Ingestion
    assert got.count(("menu-parent-missing", "info", 14)) == 2  # … and Deployment / Ingestion / External
    assert ("menu-parent-missing", "info", 16) in got  # Schemas
    assert ("menu-parent-after-child", "info", 18) in got  # Schemas / Analytics after … / Basic
    assert ("menu-category-format", "warning", 25) in got  # empty part
    assert [r for r, _, line in got if line in (27, 28, 29, 30)] == ["menu-entry-invalid"] * 3
    assert all(d.file == "v1.5.x/menu.md" for d in menu.diagnostics)
    assert got == sorted(got, key=lambda g: g[2])
    # parent-missing is not reported for a parent that shows up later (Schemas / Analytics)
    assert [m for m in menu.diagnostics if m.rule == "menu-parent-missing" and "Analytics'" in m.message.split("(")[0]] == []


def test_targets_and_edition_filter() -> None:
    menu = parse_menu(MENU, "menu.md")
    targets = menu_targets(menu)
    assert targets[0] == ("/", 3) and ("/digitrans/sso", 20) in targets
    assert ("/digitrans/sso", 20) not in menu.menu_targets(include_edition_only=False)
    oss = menu.without_edition_only()
    assert "Digitrans" not in [n.title for n in oss.roots] and len(oss.entries) == len(menu.entries) - 1
    assert "Digitrans" in [n.title for n in menu.roots]  # original untouched
    # custom flag name
    flagged = parse_menu(MENU.replace("isDigitransOnly", "isCollateOnly"), "m.md", edition_flags=("isCollateOnly",))
    assert flagged.find("/digitrans/sso").edition_only  # type: ignore[union-attr]
    assert not parse_menu(MENU, "m.md", edition_flags=("other",)).find("/digitrans/sso").edition_only  # type: ignore[union-attr]


def test_check_menu_targets() -> None:
    pages = [Page("v1.5.x", Path("d.md"), "d.md", "/deployment", "D", {}), Page("v1.5.x", Path("i.md"), "i.md", "/", "H", {})]
    menu = parse_menu(MENU, "menu.md")
    missing = check_menu_targets(menu, SlugIndex(pages))
    assert missing[0].rule == "menu-target-missing" and missing[0].line == 8
    assert {d.line for d in missing} >= {8, 10, 14} and 3 not in {d.line for d in missing}


def test_invalid_menus_give_diagnostics_not_exceptions(tmp_path: Path) -> None:
    bad = parse_menu("---\nsite_menu:\n  - category: A\n    url: /a\n   category: B\n---\n", "m.md")
    assert bad.roots == [] and bad.entries == []
    (d,) = bad.diagnostics
    assert d.rule == "menu-yaml" and d.line == 5
    assert parse_menu("no front matter", "m.md").diagnostics[0].rule == "menu-invalid"
    assert parse_menu("---\nsite_menu: 3\n---\n", "m.md").diagnostics[0].rule == "menu-invalid"
    assert parse_menu("---\nother: []\n---\n", "m.md").diagnostics[0].rule == "menu-invalid"
    assert parse_menu("---\n- a\n---\n", "m.md").diagnostics[0].rule == "menu-invalid"
    assert parse_menu("---\nsite_menu: []\n---\n", "m.md").diagnostics == []
    path = tmp_path / "v1.5.x" / "menu.md"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf---\r\nsite_menu:\r\n  - category: A \xff\r\n    url: /a\r\n---\r\n")
    menu = load_menu(path, tmp_path)
    assert menu.file == "v1.5.x/menu.md" and [e.line for e in menu.entries] == [3]
    assert [d.rule for d in menu.diagnostics] == ["invalid-utf8"]
    assert load_menu(tmp_path / "none.md", tmp_path).diagnostics[0].rule == "read-error"


def test_menu_key() -> None:
    assert menu_key("Kubernetes Deployment ") == menu_key("kubernetes  deployment") == "kubernetes-deployment"
    assert menu_key("!!!") == "!!!"
