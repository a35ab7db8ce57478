"""What a reader sees: tags rendered and working, search over partial text, version switching."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

AUTH0 = "/v1.7.x/deployment/security/auth0/"


def choose_version(page: Page, version: str) -> None:
    """Open Material's version selector (it unfolds on hover) and pick ``version``."""
    selector = page.locator(".md-version")
    expect(selector).to_be_visible()
    selector.hover()
    page.locator("a.md-version__link", has_text=version).click()


def test_auth0_page_shows_admonition_figure_steps(page: Page, site_url: str) -> None:
    page.goto(site_url + AUTH0)
    expect(page.locator("article h1")).to_have_text(re.compile("Auth0 SSO"))
    expect(page.locator("article .admonition.note").first).to_be_visible()
    figure = page.locator("article figure.om-figure").first
    expect(figure).to_be_visible()
    expect(figure.locator("figcaption")).not_to_be_empty()
    # The image really loaded (naturalWidth is 0 for a broken image).
    assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator("article .om-steps .om-step").first).to_be_visible()


def test_tabs_switch_content(page: Page, site_url: str) -> None:
    page.goto(site_url + "/v1.7.x/deployment/security/auth0/docker/")
    tabs = page.locator("article .tabbed-set").first
    expect(tabs).to_be_visible()
    labels = tabs.locator(".tabbed-labels label")
    assert labels.count() >= 2
    blocks = tabs.locator(".tabbed-content > .tabbed-block")
    expect(blocks.nth(0)).to_be_visible()
    labels.nth(1).click()
    expect(blocks.nth(1)).to_be_visible()
    expect(blocks.nth(0)).to_be_hidden()


def test_search_finds_text_that_only_a_partial_contains(page: Page, site_url: str) -> None:
    # "leftovers" occurs in the v1.7 production-checklist partial and in no page's own text.
    page.goto(site_url + AUTH0)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("leftovers", delay=50)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=15000)
    expect(page.locator(".md-search-result").first).to_contain_text(re.compile("Auth0", re.I))


def test_version_switch_keeps_the_page(page: Page, site_url: str) -> None:
    page.goto(site_url + AUTH0)
    choose_version(page, "v1.6.x")
    page.wait_for_url(re.compile(r"/v1\.6\.x/deployment/security/auth0/$"))
    banner = page.locator("article .om-version-banner")
    expect(banner).to_be_visible()
    expect(banner.locator("a")).to_have_attribute("href", re.compile(r"v1\.7\.x/deployment/security/auth0/$"))


def test_version_switch_falls_back_to_nearest_parent(page: Page, site_url: str) -> None:
    page.goto(site_url + "/v1.7.x/deployment/security/jwt-troubleshooting/")
    choose_version(page, "v1.6.x")
    page.wait_for_url(re.compile(r"/v1\.6\.x/deployment/security/$"))
    expect(page.locator("article h1")).to_be_visible()


def test_root_redirects_to_latest(page: Page, site_url: str) -> None:
    page.goto(site_url + "/")
    page.wait_for_url(re.compile(r"/v1\.7\.x/$"))
