"""Environment-variable examples: ``.env`` files, ``docker run -e`` lines and ``export`` lines,
and the ``${VAR:-default}`` placeholders of a configuration template.

Positions are 0-based (line, column) inside the example text; the runner maps them to the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_NAME_RE = re.compile(rf"^{NAME}$")
# NAME=value, optionally after `export`; the value is everything after `=`.
_ASSIGN = re.compile(r"^(?P<indent>[ \t]*)(?P<export>export[ \t]+)?(?P<name>[^=\s]+)[ \t]*=(?P<value>.*)$")
_EXPORT_ONLY = re.compile(rf"^[ \t]*export[ \t]+(?P<names>{NAME}(?:[ \t]+{NAME})*)[ \t]*$")
_DOCKER_ENV = re.compile(r"""(?<!\S)(?:-e|--env)(?:=|[ \t]+)(?P<arg>"(?:[^"\\]|\\.)*"|'[^']*'|[^\s\\]+)""")
_DOCKER_HINT = re.compile(r"\bdocker\s+(?:container\s+)?(?:run|create)\b|(?<!\S)(?:-e|--env)[ \t=]")
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?msg}; defaults may hold nested braces once.
_PLACEHOLDER = re.compile(rf"\$\{{(?P<name>{NAME})(?:(?P<op>:?[-=?+])(?P<default>(?:[^{{}}]|\{{[^{{}}]*\}})*))?\}}")


@dataclass(frozen=True)
class EnvEntry:
    """One variable set by the example: where its name starts (0-based line and column)."""

    name: str
    value: str
    line: int
    column: int


@dataclass(frozen=True)
class EnvSyntaxError:
    message: str
    line: int
    column: int


def _unquote(value: str) -> tuple[str, str | None]:
    """``(value, problem)``: strips one pair of quotes and a trailing ``# comment``."""
    text = value.strip()
    if text[:1] in ("'", '"'):
        quote = text[0]
        end = 1
        while end < len(text):
            if text[end] == "\\" and quote == '"':
                end += 2
                continue
            if text[end] == quote:
                break
            end += 1
        if end >= len(text):
            return text[1:], f"unterminated {quote} quote"
        rest = text[end + 1 :].strip()
        if rest and not rest.startswith("#"):
            return text[1:end], f"unexpected text after the closing quote: {rest!r}"
        return text[1:end], None
    comment = re.search(r"\s#", text)
    if comment:
        text = text[: comment.start()]
    return text.strip(), None


def detect_mode(text: str) -> str:
    """``docker`` (``docker run -e``), ``dotenv`` (only assignments) or ``shell`` (anything else)."""
    if _DOCKER_HINT.search(text):
        return "docker"
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not (_ASSIGN.match(raw) or _EXPORT_ONLY.match(raw)):
            return "shell"
    return "dotenv"


def parse_env(text: str, *, mode: str = "auto") -> tuple[list[EnvEntry], list[EnvSyntaxError]]:
    """The variables an example sets, and its syntax errors.

    ``dotenv``: every line is blank, a comment, ``NAME=value`` or ``export NAME=value``.
    ``shell``: only ``export`` lines are read; other commands are left alone.
    ``docker``: the ``-e NAME=value`` / ``--env NAME`` arguments of ``docker run``.
    """
    if mode == "auto":
        mode = detect_mode(text)
    entries: list[EnvEntry] = []
    errors: list[EnvSyntaxError] = []
    lines = text.splitlines()
    if mode == "docker":
        for number, line in enumerate(lines):
            for match in _DOCKER_ENV.finditer(line):
                arg = match.group("arg")
                column = match.start("arg")
                if arg[:1] in ("'", '"'):
                    arg, column = arg[1:-1], column + 1
                name, _, value = arg.partition("=")
                if not _NAME_RE.match(name):
                    errors.append(EnvSyntaxError(f"{name!r} is not a valid variable name", number, column))
                    continue
                entries.append(EnvEntry(name, value, number, column))
        return entries, errors
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        only = _EXPORT_ONLY.match(line)
        if only:
            column = line.index(only.group("names"))
            for name in only.group("names").split():
                entries.append(EnvEntry(name, "", number, line.index(name, column)))
            continue
        match = _ASSIGN.match(line)
        if match is None or (mode == "shell" and not match.group("export")):
            if mode == "dotenv" or stripped.startswith("export"):
                indent = len(line) - len(line.lstrip())
                errors.append(EnvSyntaxError("expected NAME=value", number, indent))
            continue
        name = match.group("name")
        column = match.start("name")
        if not _NAME_RE.match(name):
            errors.append(EnvSyntaxError(f"{name!r} is not a valid variable name", number, column))
            continue
        value, problem = _unquote(match.group("value"))
        if problem:
            errors.append(EnvSyntaxError(problem, number, match.start("value")))
        entries.append(EnvEntry(name, value, number, column))
    return entries, errors


def template_variables(text: str) -> dict[str, str | None]:
    """Variables a configuration template reads, with their defaults (``None`` when it has none)."""
    found: dict[str, str | None] = {}
    for match in _PLACEHOLDER.finditer(text):
        default = match.group("default") if match.group("op") in (":-", "-") else None
        found.setdefault(match.group("name"), default)
    return found


def resolve_template(text: str, env: dict[str, str] | None = None) -> str:
    """The template with every placeholder replaced by ``env``'s value, else by its default
    (an empty string when there is none), as the server's variable substitution does."""
    env = env or {}

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name in env:
            return env[name]
        op = match.group("op") or ""
        if op in (":-", "-", ":=", "="):
            return match.group("default") or ""
        return ""

    return _PLACEHOLDER.sub(replace, text)


def resolve_template_mapped(text: str, env: dict[str, str] | None = None) -> tuple[str, list[tuple[int, int, bool]]]:
    """``resolve_template`` plus segments ``(resolved offset, original offset, literal)`` that map
    a place in the result back to the original text (a substituted value maps to its ``$``)."""
    out: list[str] = []
    segments: list[tuple[int, int, bool]] = []
    length = position = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > position:
            segments.append((length, position, True))
            out.append(text[position : match.start()])
            length += match.start() - position
        value = resolve_template(match.group(0), env)
        segments.append((length, match.start(), False))
        out.append(value)
        length += len(value)
        position = match.end()
    segments.append((length, position, True))
    out.append(text[position:])
    return "".join(out), segments
