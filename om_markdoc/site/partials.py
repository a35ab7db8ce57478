"""Partials: resolving ``{% partial file="..." /%}`` safely, caching their ASTs, and who includes whom.

* ``PartialResolver`` turns the ``file`` attribute as written (``/v1.5/connectors/x.md``, with or
  without the leading ``/``) into a path *strictly inside* the partials root. Docs trees take
  contributions, and a partial's text ends up in the built site, so ``..``, absolute escapes,
  NUL bytes and symlinks leading out of the root are refused with a diagnostic, never followed.
* ``PartialStore`` is the ``Mapping`` from written name to parsed AST that Markdoc's
  ``partials`` config expects; it parses on first use and re-parses when the file changes.
* ``find_partial_refs`` lists a parsed page's ``{% partial %}`` tags; the checker builds the
  include graph from them (cycles, unused partials, include chains) and the MkDocs plugin keys
  each page by the partials its render read (which pages to rebuild when a partial changes).
"""

from __future__ import annotations

import difflib
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, display_path, error
from .files import walk_tree
from .textfile import read_text_file

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ResolvedPartial:
    """The outcome of resolving one written partial name.

    ``name`` is the canonical key (``/v1.5/x.md``) whenever the text is a well-formed in-root
    name, even if no file exists; ``path`` is set only when the file exists inside the root.
    """

    written: str
    name: str | None
    path: Path | None
    diagnostic: Diagnostic | None

    @property
    def ok(self) -> bool:
        return self.path is not None and self.diagnostic is None


class PartialResolver:
    """Maps written partial names to files inside ``partials_root`` (see module docstring).

    ``display_root`` is what diagnostics' file names are relative to (the content root in the
    OpenMetadata layout, so a partial reads ``partials/v1.5/x.md``).
    """

    def __init__(self, partials_root: Path | str, *, display_root: Path | str | None = None) -> None:
        self.root = Path(partials_root)
        self.display_root = Path(display_root) if display_root is not None else self.root.parent
        self._memo: dict[str, str] = {}
        self._all: list[str] | None = None
        try:
            self._real_root = self.root.resolve()
        except (OSError, RuntimeError):
            self._real_root = self.root.absolute()

    def display(self, path: Path) -> str:
        """A partial file as diagnostics name it."""
        return display_path(path, self.display_root)

    def canonical(self, written: Any) -> tuple[str | None, str | None, str]:
        """``(name, problem, rule)``: the canonical ``/a/b.md`` key, or why there is none."""
        if not isinstance(written, str):
            return None, f"partial file must be a string, not {type(written).__name__}", "partial-invalid"
        if "\x00" in written:
            return None, "partial file contains a NUL byte", "partial-invalid"
        text = written.strip()
        if not text:
            return None, "partial file is empty", "partial-invalid"
        if "\\" in text:
            return None, f"partial file {written!r} uses '\\'; only '/' separates folders", "partial-outside-root"
        if text.startswith("//") or _DRIVE.match(text):
            return None, f"partial file {written!r} is an absolute path outside the partials folder", "partial-outside-root"
        parts = [p for p in text.lstrip("/").split("/") if p not in ("", ".")]
        if ".." in parts:
            return None, f"partial file {written!r} uses '..' to leave the partials folder", "partial-outside-root"
        if not parts:
            return None, f"partial file {written!r} names no file", "partial-invalid"
        return "/" + "/".join(parts), None, ""

    def path_for(self, name: str) -> Path:
        """The file a canonical name maps to (no checks)."""
        return self.root.joinpath(*name.lstrip("/").split("/"))

    def name_for(self, path: Path | str) -> str | None:
        """The canonical name of a file inside the root (``None`` when outside)."""
        p = Path(path)
        for base in (self.root, self._real_root):
            try:
                return "/" + p.relative_to(base).as_posix()
            except ValueError:
                continue
        try:
            return "/" + p.resolve().relative_to(self._real_root).as_posix()
        except (ValueError, OSError, RuntimeError):
            return None

    def resolve(self, written: Any, *, file: str = "", line: int = 1, column: int = 1) -> ResolvedPartial:
        """Resolve ``written`` as found at ``file:line:column``; problems become the diagnostic."""
        shown = written if isinstance(written, str) else repr(written)
        name, problem, rule = self.canonical(written)
        if name is None:
            return ResolvedPartial(shown, None, None, error(rule, problem or "invalid partial file", file, line, column))
        path = self.path_for(name)
        state = self._located(name, path)
        if state == "loop":  # symlink loop
            loop = error("partial-missing", f"partial {name} cannot be resolved (symlink loop?)", file, line, column)
            return ResolvedPartial(shown, name, None, loop)
        if state == "outside":
            return ResolvedPartial(
                shown,
                name,
                None,
                error(
                    "partial-outside-root",
                    f"partial {name} is a symlink to a file outside the partials folder",
                    file,
                    line,
                    column,
                ),
            )
        if state == "missing":
            return ResolvedPartial(shown, name, None, error("partial-missing", self._missing(name), file, line, column))
        return ResolvedPartial(shown, name, path, None)

    def _located(self, name: str, path: Path) -> str:
        """``inside``, ``outside``, ``loop`` or ``missing``, memoised per name: resolving symlinks
        costs several system calls, and a big site resolves the same partials thousands of
        times.  ``forget`` drops the memo when files change (live reload)."""
        state = self._memo.get(name)
        if state is None:
            try:
                real = path.resolve()
            except (OSError, RuntimeError):
                state = "loop"
            else:
                if not real.is_relative_to(self._real_root):
                    state = "outside"
                elif path.is_file():
                    state = "inside"
                else:
                    state = "missing"
            self._memo[name] = state
        return state

    def forget(self, name: str | None = None) -> None:
        """Drop memoised lookups (of one canonical name, or all)."""
        self._all = None
        if name is None:
            self._memo.clear()
        else:
            self._memo.pop(name, None)

    def _missing(self, name: str) -> str:
        """Why ``name`` is not found, with the partials it was probably meant to be (a file
        renamed or moved, a letter's case): ``check``, the build and the language server all
        read this one message, and ``check --fix`` repairs the include when it names one."""
        message = f"partial {name} not found in {self.display(self.root)}"
        hint = self._case_hint(name)
        if hint:
            return message + f" (did you mean {hint}? names are case-sensitive)"
        near = self.suggestions(name)
        if near:
            return message + f" (did you mean {' or '.join(near)}?)"
        return message

    def suggestions(self, name: str, most: int = 3) -> list[str]:
        """The existing partials closest to the missing ``name``, best first: those of its own
        top folder (the version, ``/v1.5/...``) before the others, and within each, one with
        the same file name before one whose path is merely close."""
        names = self._names()
        folder = name.lstrip("/").split("/")[0] + "/"
        base = name.rsplit("/", 1)[-1]
        for group in ([n for n in names if n.lstrip("/").startswith(folder)], names):
            same_file = [n for n in group if n.rsplit("/", 1)[-1] == base]
            close = difflib.get_close_matches(name, group, n=most, cutoff=0.75)
            found = list(dict.fromkeys([*same_file, *close]))[:most]
            if found:
                return found
        return []

    def _names(self) -> list[str]:
        """Every partial's name, listed once until ``forget`` (a partial added or removed)."""
        if self._all is None:
            self._all = list(self.iter_names())
        return self._all

    def _case_hint(self, name: str) -> str | None:
        current = self.root
        actual: list[str] = []
        for part in name.lstrip("/").split("/"):
            try:
                entries = {entry.lower(): entry for entry in os.listdir(current)}
            except OSError:
                return None
            match = entries.get(part.lower())
            if match is None:
                return None
            actual.append(match)
            current = current / match
        hint = "/" + "/".join(actual)
        return hint if hint != name and current.is_file() else None

    def iter_names(self) -> Iterator[str]:
        """Canonical names of every ``.md`` file in the root, sorted, as ``walk_tree`` lists the
        folder with the partials folder as the only place links may lead (what ``resolve``
        accepts, so a listed name always resolves)."""
        walked = walk_tree(self.root, (self.root,)).files
        return iter(sorted("/" + rel for rel in walked if rel.endswith(".md")))


class PartialStore(Mapping[str, Any]):
    """Written partial name → parsed AST, parsed lazily and cached by ``(path, mtime_ns, size)``.

    ``parse(source, file)`` is the caller's parser (``om_markdoc.core.api.parse`` in practice).
    Unresolvable names are simply absent (``KeyError``/``in`` is ``False``); ``problem(name)``
    gives the diagnostic and ``file_diagnostics(name)`` the decoding problems of a partial.
    A lock makes it safe to use from a file watcher thread.
    """

    def __init__(self, resolver: PartialResolver, parse: Callable[[str, str], Any], *, check_mtime: bool = True) -> None:
        self.resolver = resolver
        self.parse = parse
        self.check_mtime = check_mtime
        self._cache: dict[Path, tuple[tuple[int, int], Any, str, list[Diagnostic]]] = {}
        self._lock = threading.RLock()
        self.parse_count = 0

    def resolve(self, written: Any, *, file: str = "", line: int = 1, column: int = 1) -> ResolvedPartial:
        return self.resolver.resolve(written, file=file, line=line, column=column)

    def problem(self, written: Any) -> Diagnostic | None:
        """Why ``written`` is not in the store (``None`` when it is)."""
        return self.resolver.resolve(written).diagnostic

    def _entry(self, written: Any) -> tuple[tuple[int, int], Any, str, list[Diagnostic]]:
        resolved = self.resolver.resolve(written)
        if not resolved.ok or resolved.path is None:
            raise KeyError(written)
        path = resolved.path
        try:
            stat = path.stat()
        except OSError as exc:
            raise KeyError(written) from exc
        signature = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(path)
            if cached is not None and (not self.check_mtime or cached[0] == signature):
                return cached
            file = self.resolver.display(path)
            text, diagnostics = read_text_file(path, self.resolver.display_root)
            try:
                ast = self.parse(text, file)
            except Exception as exc:  # noqa: BLE001 - a bad parser callback must not stop the build
                diagnostics = [*diagnostics, error("partial-parse-error", f"cannot parse partial: {exc}", file)]
                ast = None
            self.parse_count += 1
            entry = (signature, ast, text, diagnostics)
            self._cache[path] = entry
            return entry

    def __bool__(self) -> bool:
        """Always true: a store is never "empty" in a condition, and ``len()`` walks the folder."""
        return True

    def __getitem__(self, written: str) -> Any:
        ast = self._entry(written)[1]
        if ast is None:
            raise KeyError(written)
        return ast

    def __contains__(self, written: object) -> bool:
        return self.resolver.resolve(written).ok

    def __iter__(self) -> Iterator[str]:
        return self.resolver.iter_names()

    def __len__(self) -> int:
        return sum(1 for _ in self.resolver.iter_names())

    def source(self, written: str) -> str:
        """The partial's text (``KeyError`` when it does not resolve)."""
        return self._entry(written)[2]

    def file_diagnostics(self, written: str) -> list[Diagnostic]:
        """Reading/decoding/parse-callback problems of the partial (empty when unresolvable)."""
        try:
            return list(self._entry(written)[3])
        except KeyError:
            return []

    def invalidate(self, path: Path | str) -> bool:
        """Forget the cached AST of ``path`` (a file path or a written name); ``True`` if one was cached."""
        candidates: set[Path] = set()
        if isinstance(path, str):  # a written name ("/v1.5/x.md") or a file path: try both
            name, _, _ = self.resolver.canonical(path)
            if name is not None:
                candidates.add(self.resolver.path_for(name))
        candidates.add(Path(path))
        # A new, moved or deleted file can change how any name resolves: forget the lookups.
        self.resolver.forget()
        with self._lock:
            dropped = False
            for key in list(self._cache):
                if key in candidates or any(_same_file(key, c) for c in candidates):
                    del self._cache[key]
                    dropped = True
            return dropped

    def override(self, name: str, ast: Any, source: str) -> None:
        """Serve ``ast``/``source`` for the canonical ``name`` without reading its file (a fix
        tried before it is written).  Only a store that does not check file times keeps it:
        the override has no file time to compare."""
        with self._lock:
            self._cache[self.resolver.path_for(name)] = ((0, 0), ast, source, [])

    def clear(self) -> None:
        self.resolver.forget()
        with self._lock:
            self._cache.clear()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


class RecordingPartials(Mapping[str, Any]):
    """The partial store as one render sees it, remembering every name looked up: the pages a
    partial edit must re-render (the plugin's page keys) and the partials a check record
    depends on (the checker's cache) are both what a render read."""

    def __init__(self, store: Mapping[str, Any]) -> None:
        self.store = store
        self.seen: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        if isinstance(name, str):
            self.seen.add(name)
        return self.store[name]

    def get(self, name: Any, default: Any = None) -> Any:
        try:
            return self[name]
        except (KeyError, TypeError):
            return default

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str):
            self.seen.add(name)
        return name in self.store

    def __iter__(self) -> Iterator[str]:
        return iter(self.store)

    def __len__(self) -> int:
        return len(self.store)

    def __bool__(self) -> bool:  # never len(): listing the partials folder is costly
        return True


# ---------------------------------------------------------------------------------------------
# Include graph
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartialRef:
    """One ``{% partial %}`` tag found in an AST: the ``file`` value and its 1-based line."""

    file: Any
    line: int
    column: int = 1


def find_partial_refs(ast: Any) -> list[PartialRef]:
    """Every ``{% partial %}`` tag in ``ast`` (a core ``Node``), in document order."""
    refs: list[PartialRef] = []
    if ast is None:
        return refs
    for node in ast.walk():
        if node.type == "tag" and node.tag == "partial":
            line = node.lines[0] + 1 if node.lines else 1
            refs.append(PartialRef(node.attributes.get("file"), line))
    return refs
