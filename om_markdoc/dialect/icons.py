"""The icon vocabulary: the names OpenMetadata authors write, as icons Material for MkDocs bundles.

The OpenMetadata site draws icons from three vocabularies, and its pages mix them freely
(counts over the three versions of the docs corpus, ``icon=`` and ``iconName=`` attributes):

* Google Material Icons names in snake_case, what the site's icon font understands:
  ``add_moderator`` (145), ``mediation`` (80), ``celebration`` (78), ``play_arrow`` (27),
  ``manage_accounts``, ``vpn_key``, ``open_in_new``..., and in newer pages ``account_tree``,
  ``playlist_add_check``, ``badge``, ``token``;
* react-icons names of the same icons: ``MdArrowForward`` (200), ``MdDiscount`` (42),
  ``MdOutlineSchema``...;
* the site's own pictogram names: ``discovery``, ``lineage``, ``governance``, ``steward``...,
  and the support-table marks ``check`` (215) and ``cross`` (246) of the ``icon`` tag.

Material for MkDocs bundles other sets: Material Design Icons (``material/``, kebab-case and
often different words: ``account`` for Google's ``person``, ``magnify`` for ``search``),
Font Awesome, Octicons and Simple Icons.  ``resolve_icon`` maps a written name onto them:

1. Material's own notation, ``set/name`` (``material/file-tree``, ``fontawesome/solid/user``,
   ``octicons/repo-16``, ``simple/snowflake``), names that bundled file exactly;
2. otherwise the name is normalised: the react-icons prefix goes (``Md``, and a style word
   after it: ``MdOutlineSchema`` → ``schema``), CamelCase and snake_case become kebab-case;
3. ``ICON_ALIASES``, the explicit table, is consulted first: it holds the site's own
   pictograms and the Google names whose Material Design Icon has another name, or whose
   same-named icon draws something else;
4. then the ``material/`` icon of that very name (``cloud``, ``open-in-new``, ``account-cog``);
5. then the name rewritten by rule: Google's style suffixes dropped (``filter_alt``,
   ``*_outlined``, ``*_rounded``...) and Google's words replaced by Material Design's
   (``GOOGLE_PHRASES``: ``person`` → ``account``, ``add`` → ``plus``, ``search`` → ``magnify``...);
6. nothing found: ``NEUTRAL_ICON`` stands in and the result says it is not ``known``, so the
   caller can report the name (an ``info``: the page itself is fine).

SVGs are read from the installed theme only: every path segment is checked against a strict
pattern and the file must lie inside the theme's icon folder, so content can never make us read
anything else.  The SVG is trusted markup (``RawHtml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..core.tag import RawHtml

ICON_SETS = ("material", "fontawesome", "octicons", "simple")
"""The icon sets Material for MkDocs bundles (``material/templates/.icons/<set>``)."""

NEUTRAL_ICON = "material/circle-medium"
"""What an unknown name renders as: a plain dot, so cards and tables keep their layout."""

_SEGMENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_REACT_PREFIX = re.compile(r"^Md(?:Outline|Round|Sharp|TwoTone)?(?=[A-Z0-9])")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_GOOGLE_STYLE = re.compile(r"-(?:alt|outlined|rounded|sharp|two-tone|filled)$")

ICON_ALIASES: dict[str, str] = {
    # the site's own pictograms (no Google icon of that name), closest Material Design Icon
    "discovery": "compass-outline",
    "collaboration": "account-group",
    "observability": "monitor-eye",
    "lineage": "family-tree",
    "governance": "bank",
    "administration": "cog",
    "steward": "account-tie",
    # the icon tag's support marks
    "cross": "close",
    # Google names whose Material Design Icon is named differently
    "account-tree": "file-tree",
    "add-alert": "bell-plus",
    "add-moderator": "shield-plus",
    "admin-panel-settings": "shield-account",
    "analytics": "chart-box-outline",
    "assignment-turned-in": "clipboard-check",
    "badge": "badge-account-horizontal-outline",
    "cancel": "close-circle",
    "cable": "connection",
    "celebration": "party-popper",
    "change-circle": "swap-horizontal-circle",
    "connect-without-contact": "account-network",
    "dashboard-customize": "view-dashboard-edit",
    "description": "file-document-outline",
    "discount": "sale",
    "extension": "puzzle",
    "fact-check": "text-box-check",
    "filter-list": "filter-variant",
    "fit-screen": "fit-to-screen",
    "gpp-good": "shield-check-outline",
    "insights": "lightbulb-on-outline",
    "luggage": "bag-suitcase",
    "manage-accounts": "account-cog",
    "manage-search": "text-search",
    "mark-unread-chat-alt": "message-badge",
    "mediation": "transit-connection-variant",
    "menu-book": "book-open-variant",
    "model-training": "brain",
    "person-pin": "account-box",
    "play-arrow": "play",
    "playlist-add-check": "playlist-check",
    "polyline": "vector-polyline",
    "push-pin": "pin",
    "schema": "table-network",
    "source": "source-branch",
    "storage": "database",
    "task": "checkbox-marked-circle-outline",
    "token": "hexagon-multiple-outline",
    "volume-up": "volume-high",
    "vpn-key": "key",
    "10k": "numeric-10-box-outline",
    "360": "rotate-360",
}
"""Normalised written name → ``material/`` icon, where the rules below would miss or mislead."""

GOOGLE_PHRASES: tuple[tuple[str, str], ...] = (
    ("arrow-forward", "arrow-right"),
    ("arrow-back", "arrow-left"),
    ("arrow-upward", "arrow-up"),
    ("arrow-downward", "arrow-down"),
    ("bar-chart", "chart-bar"),
    ("pie-chart", "chart-pie"),
    ("show-chart", "chart-line"),
    ("people", "account-multiple"),
    ("groups", "account-group"),
    ("group", "account-group"),
    ("person", "account"),
    ("settings", "cog"),
    ("search", "magnify"),
    ("visibility", "eye"),
    ("notifications", "bell"),
    ("done", "check"),
    ("add", "plus"),
    ("remove", "minus"),
    ("edit", "pencil"),
    ("info", "information"),
    ("error", "alert-circle"),
    ("warning", "alert"),
    ("schedule", "clock-outline"),
    ("event", "calendar"),
    ("launch", "open-in-new"),
    ("verified", "check-decagram"),
    ("help", "help-circle"),
)
"""Google Material Icons words → Material Design Icons words (whole words, one pass, longest first)."""

_PHRASE = re.compile(
    "(?:^|(?<=-))(" + "|".join(sorted((re.escape(g) for g, _ in GOOGLE_PHRASES), key=len, reverse=True)) + ")(?=-|$)"
)
_PHRASES = dict(GOOGLE_PHRASES)


@dataclass(frozen=True)
class Icon:
    """What a written icon name resolved to."""

    written: str
    """The name as the author wrote it."""
    path: str
    """The bundled icon used: ``material/file-tree``, ``fontawesome/solid/user``..."""
    svg: RawHtml
    known: bool
    """False when ``NEUTRAL_ICON`` stands in for a name nothing matched."""

    @property
    def name(self) -> str:
        """The icon's own name, without its set: ``file-tree``."""
        return self.path.rsplit("/", 1)[-1]


@lru_cache(maxsize=1)
def icons_root() -> Path | None:
    """Material's bundled icon folder (``material/templates/.icons``)."""
    try:
        import material
    except ImportError:  # pragma: no cover - mkdocs-material is a dependency
        return None
    folder = Path(material.__file__).resolve().parent / "templates" / ".icons"
    return folder if folder.is_dir() else None


@lru_cache(maxsize=1024)
def bundled_svg(path: str) -> RawHtml | None:
    """The SVG of bundled icon ``path`` (``material/check``, ``fontawesome/brands/github``), or ``None``.

    Only ``<set>/<segment>[/<segment>]`` with a known set and kebab-case segments is looked up."""
    root = icons_root()
    parts = path.split("/")
    if root is None or not 2 <= len(parts) <= 3 or parts[0] not in ICON_SETS:
        return None
    if not all(_SEGMENT.fullmatch(part) for part in parts[1:]):
        return None
    file = root.joinpath(*parts[:-1], f"{parts[-1]}.svg")
    if root not in file.resolve().parents or not file.is_file():
        return None
    svg = file.read_text(encoding="utf-8").strip()
    return RawHtml(svg) if svg.startswith("<svg") else None


def material_svg(name: str) -> RawHtml | None:
    """The SVG of Material Design Icon ``name`` (``check``), or ``None`` if there is none."""
    return bundled_svg(f"material/{name}")


def normalise(written: str) -> str:
    """A written name in kebab-case, react-icons prefix dropped: ``MdOutlineSchema`` → ``schema``."""
    name = _REACT_PREFIX.sub("", written.strip())
    name = _CAMEL.sub("-", name)
    return re.sub(r"[-_\s]+", "-", name).strip("-").lower()


def _google_rewrites(name: str) -> list[str]:
    """``name`` in Material Design Icons' words, with and without Google's style suffix."""
    plain = _GOOGLE_STYLE.sub("", name)
    out = []
    for base in dict.fromkeys((name, plain)):
        out += [base, _PHRASE.sub(lambda match: _PHRASES[match.group(1)], base)]
    return list(dict.fromkeys(out))


def candidates(written: str) -> list[str]:
    """The bundled icon paths tried for ``written``, in order (see the module docstring)."""
    raw = written.strip()
    if "/" in raw:
        return [raw.lower()]
    name = normalise(raw)
    if not name:
        return []
    out = [f"material/{ICON_ALIASES[name]}"] if name in ICON_ALIASES else []
    return list(dict.fromkeys([*out, *(f"material/{n}" for n in _google_rewrites(name))]))


@lru_cache(maxsize=1024)
def resolve_icon(written: str) -> Icon | None:
    """The icon for an author's name; ``None`` for a blank name (the author asked for none).

    An unknown name resolves to ``NEUTRAL_ICON`` with ``known=False``."""
    if not written.strip():
        return None
    for path in candidates(written):
        svg = bundled_svg(path)
        if svg is not None:
            return Icon(written, path, svg, True)
    neutral = bundled_svg(NEUTRAL_ICON)
    return Icon(written, NEUTRAL_ICON, neutral, False) if neutral is not None else None
