"""Material's navigation, rendered once per build instead of once per page.

Material renders the whole navigation into every page (``partials/nav.html``): on a 1,000-page
version that is ~1,000 navigation items per page, a million macro calls per build, and most of a
build's time.  Yet a page's navigation differs from any other page's in two ways only: the
*active path* (the page and its sections: open, highlighted, the page's table of contents), and
every link being relative to the page.

So this module replaces the ``partials/nav.html`` include with a Jinja global that still renders
Material's own ``nav.html`` and ``nav-item.html`` (their HTML is never rewritten here), but in
pieces it can reuse, each rendered once per build with its links as placeholders:

* a *shell* of each level on the page's active path (the navigation itself, then each active
  section): Material's markup for it with every item replaced by a *stub*, a childless item
  whose output is known exactly (a section's index page stays real under
  ``navigation.indexes``: Material reads it to draw the section);
* a *fragment* for each item off the active path: Material's markup for it, rendered by its
  ``render`` macro with the arguments its parent would pass.

Per page, the shells of the active path are joined with the fragments of the other items, the
page's own item (the one that shows its table of contents) being the only one Material renders,
and each link placeholder becomes the link MkDocs' ``url`` filter would have produced for this
page (``normalize_url``, the filter's own function).

The result is byte-identical with Material's (``tests/site_build/test_build_speed.py`` compares
every page of a corpus version, with ``navigation.prune`` off and on, and a small tree under each
of Material's navigation features).  Anything this module
cannot vouch for (a theme other than Material, a project overriding ``nav.html`` or
``nav-item.html``, stray placeholder characters in titles) keeps Material's ordinary rendering.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import pass_context
from jinja2.runtime import Context
from mkdocs.structure.nav import Section
from mkdocs.utils import _get_norm_url, _norm_parts

NAV_TEMPLATE = "partials/nav.html"
ITEM_TEMPLATE = "partials/nav-item.html"
GLOBAL_NAME = "om_markdoc_nav"
OVERRIDE = f"{{{{ {GLOBAL_NAME}() }}}}"
PLACEHOLDER_FLAG = "_om_markdoc_url_placeholders"
URL_OPEN, URL_CLOSE = "\x00", "\x01"
STUB_OPEN, STUB_CLOSE = "\x02", "\x03"
RESERVED = re.compile("[\x00-\x03]")
URL_SPLIT = re.compile("\x00([^\x01]*)\x01")
PROBE = "\x02probe\x03"


class _Stub:
    """Stands in for an item of a shell in Material's loops: no children, not active, a ``#``
    link and a title that numbers it, so its output is one known pattern (``_stub_pattern``)
    wherever it stands.  Attributes Material reads but a stub lacks are undefined in Jinja, as
    they are on a ``Section``."""

    children = None
    active = False
    url = "#"

    def __init__(self, title: str) -> None:
        self.title = title


class _NavView:
    """The ``nav`` Material's ``nav.html`` sees: the real navigation with other ``items``."""

    def __init__(self, nav: Any, items: list[Any]) -> None:
        self._nav = nav
        self.items = items

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nav, name)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def _material_dir() -> Path | None:
    try:
        import material
    except ImportError:
        return None
    return Path(material.__file__).resolve().parent / "templates"


def _source_path(env: jinja2.Environment, name: str) -> Path | None:
    try:
        _, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    except (jinja2.TemplateNotFound, AttributeError):
        return None
    return Path(filename).resolve() if filename else None


class NavCache:
    """Per build: Material's nav templates, the cached inactive sections, the stub format."""

    def __init__(self, env: jinja2.Environment, nav_template: jinja2.Template, item_template: jinja2.Template) -> None:
        self.env = env
        self.nav_template = nav_template
        self.item_template = item_template
        self.fragments: dict[tuple[int, str, int, bool | None], _Fragment] = {}
        self.shells: dict[tuple[int | None, str, int, bool | None, bool], _Shell] = {}
        self.stub_format: tuple[str, str] | None = None
        self.stub_pattern: re.Pattern[str] | None = None
        self.served = 0
        """Navigations rendered through the cache in this process."""
        self.failed: str | None = None
        """Why the cache gave up for this build (None while it serves)."""

    @classmethod
    def install(cls, env: jinja2.Environment) -> NavCache | None:
        """Route ``partials/nav.html`` through the cache when both nav templates are
        Material's own; otherwise leave the environment alone and return None."""
        material = _material_dir()
        nav_path, item_path = _source_path(env, NAV_TEMPLATE), _source_path(env, ITEM_TEMPLATE)
        if material is None or nav_path is None or item_path is None:
            return None
        if nav_path.parent != material / "partials" or item_path.parent != material / "partials":
            return None  # a theme override of the navigation: its HTML is not ours to predict
        nav_template = env.from_string(nav_path.read_text(encoding="utf-8"))
        item_template = env.get_template(ITEM_TEMPLATE)
        cache = cls(env, nav_template, item_template)
        original_url = env.filters["url"]

        @pass_context
        def url(context: Context, value: Any) -> str:
            if context.get(PLACEHOLDER_FLAG):
                return f"{URL_OPEN}{value}{URL_CLOSE}"
            return original_url(context, value)

        env.filters["url"] = url
        env.globals[GLOBAL_NAME] = pass_context(lambda context: cache.render(context))
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({NAV_TEMPLATE: OVERRIDE}), env.loader])  # type: ignore[list-item]
        return cache

    # -- per page ------------------------------------------------------------------------------

    def render(self, context: Context) -> str:
        """The navigation of the page being rendered, as Material's ``nav.html`` renders it."""
        variables = context.get_all()
        page, nav = variables.get("page"), variables.get("nav")
        if self.failed is None and page is not None and nav is not None and getattr(page, "active", False):
            try:
                html = self._render_cached(variables, page, nav)
                self.served += 1
                return html
            except NavCacheError as exc:
                self.failed = str(exc)  # from now on, Material renders every navigation itself
        return self.nav_template.render(variables)  # 404 page and such: Material, as is

    def _render_cached(self, variables: dict[str, Any], page: Any, nav: Any) -> str:
        out: list[str] = []
        self._emit_level(variables, page, nav, None, None, "__nav_", 1, _page_parts(page.url), out)
        return "".join(out)

    def _emit_level(self, variables: dict[str, Any], page: Any, nav: Any, owner: Any, parent: Any, path: str,
                    level: int, parts: list[str], out: list[str]) -> None:
        """Append to ``out`` the HTML of ``owner`` (an active section at ``path``, or the whole
        navigation for None): its shell, then each of its items where its stub stands, an
        active section by recursion, the page itself as Material renders it, any other item
        from the cache."""
        shell = self._shell(variables, page, nav, owner, parent, path, level)
        for index, text in enumerate(shell.texts):
            out.append(text.resolve(parts))
            if index == len(shell.slots):
                break
            item, item_path, item_level = shell.slots[index]
            if item.active and isinstance(item, Section) and item.children:
                self._emit_level(variables, page, nav, item, owner, item_path, item_level, parts, out)
            elif item.active:
                module = self.item_template.make_module(variables)
                out.append(str(module.render(item, item_path, item_level, owner)))
            else:
                out.append(self._fragment(variables, item, item_path, item_level, owner).resolve(parts))

    def _shell(self, variables: dict[str, Any], page: Any, nav: Any, owner: Any, parent: Any, path: str, level: int) -> _Shell:
        """Material's HTML of ``owner`` with each of its items replaced by a stub (rendered on
        first use).  Besides its position, an active section's markup depends on the page in
        one way only: whether the page is the section's index page (``navigation.indexes``)."""
        items = list(nav.items if owner is None else owner.children)
        index = self._index_item(variables, items) if owner is not None else None
        key = (id(owner), path, level, None if parent is None else bool(parent.active), index is not None and index == page)
        shell = self.shells.get(key)
        if shell is not None:
            return shell
        if owner is not None and getattr(owner, "pages", None):
            raise NavCacheError("a section with its own page list")  # Material matches the page against it
        stubs: list[Any] = []
        slots: list[tuple[Any, str, int]] = []
        for position, item in enumerate(items, start=1):
            item_path = f"{path}{position}" if owner is None else f"{path}_{position}"
            if item is index:
                stubs.append(item)  # Material reads the index page itself to draw the section
                continue
            slots.append((item, item_path, level if owner is None else level + 1))
            stubs.append(_Stub(f"{STUB_OPEN}{len(slots) - 1}{STUB_CLOSE}"))
        placeholders = {**variables, PLACEHOLDER_FLAG: True}
        if owner is None:
            html = self.nav_template.render({**placeholders, "nav": _NavView(nav, stubs)})
        else:
            children, owner.children = owner.children, stubs
            try:
                html = str(self.item_template.make_module(placeholders).render(owner, path, level, parent))
            finally:
                owner.children = children
        shell = self.shells[key] = _Shell(html, self._stub_pattern(placeholders), slots)
        return shell

    @staticmethod
    def _index_item(variables: dict[str, Any], items: list[Any]) -> Any:
        """The item Material draws as a section's index page (``navigation.indexes``): the first
        child that is an index page."""
        if "navigation.indexes" not in (variables.get("features") or ()):
            return None
        return next((item for item in items if getattr(item, "is_index", False)), None)

    def _fragment(self, variables: dict[str, Any], item: Any, path: str, level: int, parent: Any) -> _Fragment:
        """An item off the active path as Material renders it at this position (rendered on first
        use)."""
        key = (id(item), path, level, None if parent is None else bool(parent.active))
        fragment = self.fragments.get(key)
        if fragment is None:
            module = self.item_template.make_module({**variables, PLACEHOLDER_FLAG: True})
            fragment = self.fragments[key] = _Fragment(str(module.render(item, path, level, parent)))
        return fragment

    def _stub_pattern(self, variables: dict[str, Any]) -> re.Pattern[str]:
        """What Material prints for a stub in a shell (its ``#`` link a placeholder too), learned
        once per build from a probe stub."""
        if self.stub_pattern is None:
            module = self.item_template.make_module(variables)
            html = str(module.render(_Stub(PROBE), "__om_probe", 1, None))
            if html.count(PROBE) != 1:
                raise NavCacheError("unexpected navigation item markup")
            before, after = html.split(PROBE)
            number = f"{re.escape(STUB_OPEN)}(\\d+){re.escape(STUB_CLOSE)}"
            self.stub_pattern = re.compile(re.escape(before) + number + re.escape(after))
        return self.stub_pattern


def _page_parts(url: str) -> list[str]:
    """The folder a page's links are relative to, as ``get_relative_url`` splits it."""
    folder, _, name = url.rpartition("/")
    return _norm_parts(folder if "." in name else url)


def _common(a: list[str], b: list[str]) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


class _Shell:
    """A navigation level as Material renders it with stubs for its items: the text around
    each stub (a ``_Fragment``: links as placeholders) and, per stub, the item, its path and
    its level."""

    def __init__(self, html: str, pattern: re.Pattern[str], slots: list[tuple[Any, str, int]]) -> None:
        pieces = pattern.split(html)
        if len(pieces) != 2 * len(slots) + 1 or any(int(n) != i for i, n in enumerate(pieces[1::2])):
            raise NavCacheError("a stub of the navigation went missing")
        self.texts = [_Fragment(text) for text in pieces[::2]]
        self.slots = slots


class _Link:
    """One link of a cached section: what MkDocs' ``url`` filter makes of it on any page.

    ``normalize_url`` leaves absolute URLs and fragments as they are; otherwise the result is
    ``get_relative_url(path, page.url)`` after as many ``../`` as the path starts with.  That
    is ``"../" * (page depth - common folders) + the rest of the path``, computed here from the
    parts ``get_relative_url`` itself would compute."""

    __slots__ = ("fixed", "ups", "parts", "slash")

    def __init__(self, target: str) -> None:
        path, level = _get_norm_url(target)
        self.fixed: str | None = path if level == -1 else None
        self.ups = "../" * max(level, 0)
        self.parts = _norm_parts(path) if level != -1 else []
        self.slash = path.endswith("/")

    def at(self, common: int, up: int) -> str:
        if self.fixed is not None:
            return self.fixed
        relative = "/".join([".."] * up + self.parts[common:]) or "."
        return self.ups + relative + ("/" if self.slash else "")


class _Fragment:
    """A cached piece of the navigation (an item, or the text of a shell between two stubs):
    Material's HTML split at its links, and the piece resolved for each (page depth, common
    folders) met so far.

    When a page shares fewer folders with the piece's links than they all share with each
    other, every link of the piece shares exactly as many with the page: the resolved text then
    depends on that count and the page's depth only, so pages in other parts of the site reuse
    it.  Otherwise (the page's URL lies inside the piece's) each link is resolved."""

    def __init__(self, html: str) -> None:
        parts = URL_SPLIT.split(html)
        if any(RESERVED.search(text) for text in parts[::2]):
            raise NavCacheError("reserved characters in the navigation")
        self.texts = parts[::2]
        self.links = [_Link(target) for target in parts[1::2]]
        relative = [link.parts for link in self.links if link.fixed is None]
        self.prefix: list[str] | None = None
        if relative:
            prefix = relative[0]
            for parts_of in relative[1:]:
                prefix = prefix[: _common(prefix, parts_of)]
            self.prefix = prefix
        self.resolved: dict[tuple[int, int], str] = {}

    def resolve(self, page: list[str]) -> str:
        common = _common(page, self.prefix) if self.prefix is not None else 0
        if self.prefix is None or common < len(self.prefix):
            key = (len(page) - common, common)
            text = self.resolved.get(key)
            if text is None:
                text = self.resolved[key] = self._join([link.at(common, key[0]) for link in self.links])
            return text
        urls = []
        for link in self.links:
            shared = _common(page, link.parts)
            urls.append(link.at(shared, len(page) - shared))
        return self._join(urls)

    def _join(self, urls: list[str]) -> str:
        out = [self.texts[0]]
        for url, text in zip(urls, self.texts[1:], strict=False):
            out.append(url)
            out.append(text)
        return "".join(out)


class NavCacheError(RuntimeError):
    """The cached rendering cannot vouch for its output (the build then falls back)."""
