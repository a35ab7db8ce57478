"""Environment-variable examples: ``.env`` files, ``docker run -e`` lines and ``export`` lines,
and the ``${VAR:-default}`` placeholders of a configuration template.

Positions are 0-based (line, column) inside the example text; the runner maps them to the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .example import Segment
from .reader import is_placeholder

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_NAME_RE = re.compile(rf"^{NAME}$")
# NAME=value, optionally after `export`; the value is everything after `=`.
_ASSIGN = re.compile(r"^(?P<indent>[ \t]*)(?P<export>export[ \t]+)?(?P<name>[^=\s]+)[ \t]*=(?P<value>.*)$")
_EXPORT_ONLY = re.compile(rf"^[ \t]*export[ \t]+(?P<names>{NAME}(?:[ \t]+{NAME})*)[ \t]*$")
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


# A line meant as an assignment but not written as one: ``NAME: value``, ``NAME value``.
_NEAR_ASSIGN = re.compile(r"^[ \t]*(?:export[ \t]+)?(?P<name>[A-Z_][A-Z0-9_]*)(?P<sep>[ \t]*:[ \t]*|[ \t]+)(?=\S)")
_STRICT_ASSIGN = re.compile(rf"^[ \t]*(?:export[ \t]+)?{NAME}=")
_UPPER_ASSIGN = re.compile(r"^[ \t]*(?:export[ \t]+)?[A-Z_][A-Z0-9_]*=")
# `docker run|create`, `docker container run|create`, `docker compose run|exec`, `docker exec`
_DOCKER_COMMAND = re.compile(r"^(?:sudo[ \t]+)?docker[ \t]+(?:(?:container|compose)[ \t]+)?(?:run|create|exec)\b")
# docker options that take the next argument as their value (the others are flags)
_DOCKER_VALUE_OPTIONS = frozenset(
    ["-a", "--attach", "--add-host", "--cpus", "-c", "--cpu-shares", "--entrypoint", "--env-file", "-h", "--hostname", "-l", "--label", "--link", "--log-driver", "--log-opt", "-m", "--memory", "--mount", "--name", "--network", "--net", "--platform", "-p", "--publish", "--pull", "--restart", "-u", "--user", "-v", "--volume", "--volumes-from", "-w", "--workdir", "--device", "--dns", "--expose", "--health-cmd", "--ip", "--gpus", "--shm-size", "--ulimit", "--tmpfs", "--cap-add", "--cap-drop", "--security-opt", "--stop-signal", "--stop-timeout", "--runtime", "--ipc", "--pid", "--userns", "--uts", "--cgroupns", "--label-file", "--index"]
)
_SHELL_WORD = re.compile(r"""(?:"(?:[^"\\]|\\.)*(?:"|$)|'[^']*(?:'|$)|\\.|[^\s"'\\])+""")


def _significant(text: str) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(text.splitlines()) if line.strip() and not line.lstrip().startswith("#")]


def _assignment_like(line: str) -> bool:
    return bool(_ASSIGN.match(line) or _EXPORT_ONLY.match(line) or _NEAR_ASSIGN.match(line))


def detect_mode(text: str) -> str:
    """``docker`` (``docker run -e``), ``dotenv`` (assignments, perhaps some written wrongly, such
    as ``NAME: value``) or ``shell`` (a script: anything else)."""
    lines = _significant(text)
    if any(_DOCKER_COMMAND.match(line.lstrip()) for _, line in lines):
        return "docker"
    if all(_assignment_like(line) for _, line in lines) and any(_STRICT_ASSIGN.match(line) for _, line in lines):
        return "dotenv"
    if all(_ASSIGN.match(line) or _EXPORT_ONLY.match(line) for _, line in lines):
        return "dotenv"
    return "shell"


def looks_like_env(text: str, *, uppercase: bool = False) -> bool:
    """Whether ``text`` is a ``.env`` file (``detect_mode`` says ``dotenv``) with at least one
    real assignment (``uppercase``: of an upper-case name, for content with no language)."""
    lines = _significant(text)
    strict = _UPPER_ASSIGN if uppercase else _STRICT_ASSIGN
    return detect_mode(text) == "dotenv" and any(strict.match(line) for _, line in lines)


def _commands(lines: list[str]) -> list[list[tuple[int, int, str]]]:
    """Shell words ``(line, column, word)`` of each command, continuation lines joined."""
    commands: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for number, line in enumerate(lines):
        body = line.rstrip()
        continued = body.endswith("\\")
        if continued:
            body = body[:-1]
        for match in _SHELL_WORD.finditer(body):
            if match.group(0).startswith("#") and not current:
                break
            current.append((number, match.start(), match.group(0)))
        if not continued:
            if current:
                commands.append(current)
            current = []
    if current:
        commands.append(current)
    return commands


def _docker_env(lines: list[str]) -> tuple[list[EnvEntry], list[EnvSyntaxError]]:
    """The ``-e``/``--env`` options of docker commands, up to the image (or service) name:
    what follows it is the container's command, whose ``-e`` is its own business."""
    entries: list[EnvEntry] = []
    errors: list[EnvSyntaxError] = []
    for words in _commands(lines):
        text = " ".join(w for _, _, w in words)
        head = _DOCKER_COMMAND.match(text)
        if head is None:
            continue
        skip = len(head.group(0).split())
        index = skip
        while index < len(words):
            number, column, word = words[index]
            index += 1
            if word in ("-e", "--env") and index < len(words):
                number, column, arg = words[index]
                index += 1
            elif word.startswith(("--env=", "-e=")):
                arg = word.split("=", 1)[1]
                column += len(word) - len(arg)
            elif word.startswith("-e") and len(word) > 2 and not word.startswith("--"):
                arg, column = word[2:], column + 2
            elif word.startswith("-"):
                if word in _DOCKER_VALUE_OPTIONS:
                    index += 1
                continue
            else:
                break  # the image or service: the rest is the container's command
            if arg[:1] in ("'", '"') and arg[-1:] == arg[:1]:
                arg, column = arg[1:-1], column + 1
            name, _, value = arg.partition("=")
            if not _NAME_RE.match(name):
                errors.append(EnvSyntaxError(f"{name!r} is not a valid variable name", number, column))
                continue
            entries.append(EnvEntry(name, value, number, column))
    return entries, errors


def parse_env(text: str, *, mode: str = "auto") -> tuple[list[EnvEntry], list[EnvSyntaxError]]:
    """The variables an example sets, and its syntax errors.

    ``dotenv``: every line is blank, a comment, ``NAME=value`` or ``export NAME=value``; any other
    line is reported where it goes wrong, and the other lines are still read.
    ``shell``: only ``export`` lines are read; other commands are left alone.
    ``docker``: the ``-e NAME=value`` / ``--env NAME`` arguments of ``docker run``.
    """
    if mode == "auto":
        mode = detect_mode(text)
    entries: list[EnvEntry] = []
    errors: list[EnvSyntaxError] = []
    lines = text.splitlines()
    if mode == "docker":
        return _docker_env(lines)
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
                errors.append(_malformed(line, number))
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


def _malformed(line: str, number: int) -> EnvSyntaxError:
    near = _NEAR_ASSIGN.match(line)
    if near is not None:
        name = near.group("name")
        found = "':'" if ":" in near.group("sep") else "a space"
        return EnvSyntaxError(f"expected {name}=value, found {found} after the name", number, near.start("sep"))
    return EnvSyntaxError("expected NAME=value", number, len(line) - len(line.lstrip()))


def template_variables(text: str) -> dict[str, str | None]:
    """Variables a configuration template reads, with their defaults (``None`` when it has none)."""
    found: dict[str, str | None] = {}
    for match in _PLACEHOLDER.finditer(text):
        default = match.group("default") if match.group("op") in (":-", "-") else None
        found.setdefault(match.group("name"), default)
    return found


def resolve_template(text: str, env: dict[str, str] | None = None, *, blank: str | None = None) -> str:
    """The template with every placeholder replaced by ``env``'s value, else by its default
    (an empty string when there is none), as the server's variable substitution does.

    ``blank``: what a default written for the reader to fill in (``{your domain}``, ``<host>``,
    ``your-client-id``; see ``reader.is_placeholder``) becomes instead of itself."""
    env = env or {}

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name in env:
            return env[name]
        op = match.group("op") or ""
        if op in (":-", "-", ":=", "="):
            default = match.group("default") or ""
            return blank if blank is not None and is_placeholder(default) else default
        return ""

    return _PLACEHOLDER.sub(replace, text)


def resolve_template_mapped(
    text: str, env: dict[str, str] | None = None, *, blank: str | None = None
) -> tuple[str, list[Segment]]:
    """``resolve_template`` plus the segments that map a place in the result back to the
    original text (a substituted value maps to its ``$``)."""
    out: list[str] = []
    segments: list[Segment] = []
    length = position = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > position:
            segments.append(Segment(length, position, True))
            out.append(text[position : match.start()])
            length += match.start() - position
        value = resolve_template(match.group(0), env, blank=blank)
        segments.append(Segment(length, match.start(), False))
        out.append(value)
        length += len(value)
        position = match.end()
    segments.append(Segment(length, position, True))
    out.append(text[position:])
    return "".join(out), segments
