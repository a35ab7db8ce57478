"""Partials: resolving ``{% partial file="..." /%}`` safely, caching their ASTs, and who includes whom.

* ``PartialResolver`` turns the ``file`` attribute as written (``/v1.5/connectors/x.md``, with or
  without the leading ``/``) into a path *strictly inside* the partials root. Docs trees take
  contributions, and a partial's text ends up in the built site, so ``..``, absolute escapes,
  NUL bytes and symlinks leading out of the root are refused with a diagnostic, never followed.
* ``PartialStore`` is the ``Mapping`` from written name to parsed AST that Markdoc's
  ``partials`` config expects; it parses on first use and re-parses when the file changes.
* ``PartialGraph`` records the include edges (page → partial → partial) with their lines. Live
  reload needs ``dependents`` (which pages to rebuild when a partial changes); the checker needs
  ``cycles`` and ``unused``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.ast import Function, Variable
from .diagnostics import Diagnostic, display_path, error, warning
from .frontmatter import read_text_file
from .graphs import strongly_connected

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
            return ResolvedPartial(shown, name, None, error("partial-missing", f"partial {name} cannot be resolved (symlink loop?)", file, line, column))
        if state == "outside":
            return ResolvedPartial(
                shown,
                name,
                None,
                error("partial-outside-root", f"partial {name} is a symlink to a file outside the partials folder", file, line, column),
            )
        if state == "missing":
            hint = self._case_hint(name)
            message = f"partial {name} not found in {self.display(self.root)}"
            if hint:
                message += f" (did you mean {hint}? names are case-sensitive)"
            return ResolvedPartial(shown, name, None, error("partial-missing", message, file, line, column))
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
                else:
                    state = "inside" if path.is_file() else "missing"
            self._memo[name] = state
        return state

    def forget(self, name: str | None = None) -> None:
        """Drop memoised lookups (of one canonical name, or all)."""
        if name is None:
            self._memo.clear()
        else:
            self._memo.pop(name, None)

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
        """Canonical names of every ``.md`` file in the root, sorted (folder symlinks not followed,
        files that resolve outside the root skipped)."""
        if not self.root.is_dir():
            return iter(())
        names: list[str] = []
        for current, dirs, files in os.walk(self.root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for file_name in files:
                if file_name.startswith(".") or not file_name.endswith(".md"):
                    continue
                path = Path(current) / file_name
                try:
                    if not path.resolve().is_relative_to(self._real_root):
                        continue
                except (OSError, RuntimeError):
                    continue
                names.append("/" + path.relative_to(self.root).as_posix())
        return iter(sorted(names))


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

    def clear(self) -> None:
        self.resolver.forget()
        with self._lock:
            self._cache.clear()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


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


@dataclass(frozen=True)
class Include:
    """An edge: ``source`` (page id or partial name) includes ``target`` at ``line``.

    ``target`` is ``None`` when the written name did not resolve."""

    source: str
    source_is_page: bool
    target: str | None
    written: str
    line: int


Node = tuple[bool, str]  # (is_page, id)


class PartialGraph:
    """Who includes whom. Pages are identified by the id the caller gives (``Page.file``),
    partials by canonical name (``/v1.5/x.md``).

    Adding a page follows its includes transitively through ``store``, parsing each partial once;
    problems found on the way are in ``diagnostics`` with their include ``chain``.
    """

    def __init__(self, store: PartialStore) -> None:
        self.store = store
        self._out: dict[Node, list[Include]] = {}
        self._build_diagnostics: dict[Node, list[Diagnostic]] = {}
        self._cycles: list[list[tuple[str, int]]] | None = None

    @classmethod
    def build(cls, store: PartialStore, documents: Iterable[tuple[str, Any]]) -> "PartialGraph":
        """A graph of ``(page_id, ast)`` documents and everything they include."""
        graph = cls(store)
        for page_id, ast in documents:
            graph.add_page(page_id, ast)
        return graph

    # -- building --------------------------------------------------------------------------

    def add_page(self, page_id: str, ast: Any) -> None:
        """Add (or replace, after an edit) a page and follow its includes."""
        self._set_node((True, page_id), find_partial_refs(ast), ())

    def refresh_partial(self, name: str) -> None:
        """Re-read a partial's includes after it changed (call ``store.invalidate`` first)."""
        canonical, _, _ = self.store.resolver.canonical(name)
        if canonical is not None and (False, canonical) in self._out:
            self._out.pop((False, canonical))
            self._visit_partial(canonical, ())

    def add_all_partials(self) -> None:
        """Visit every partial file, also those no page includes (for ``unused``)."""
        for name in self.store.resolver.iter_names():
            if (False, name) not in self._out:
                self._visit_partial(name, ())

    def _file_of(self, node: Node) -> str:
        is_page, ident = node
        return ident if is_page else self.store.resolver.display(self.store.resolver.path_for(ident))

    def _set_node(self, node: Node, refs: list[PartialRef], chain: tuple[tuple[str, int], ...]) -> None:
        self._cycles = None
        file = self._file_of(node)
        edges: list[Include] = []
        problems: list[Diagnostic] = []
        pending: list[tuple[str, tuple[tuple[str, int], ...]]] = []
        for ref in refs:
            if isinstance(ref.file, (Variable, Function)):
                problems.append(
                    warning("partial-dynamic", f"partial file is computed ({ref.file!r}); its dependencies are not tracked", file, ref.line).with_chain(chain)
                )
                continue
            resolved = self.store.resolve(ref.file, file=file, line=ref.line, column=ref.column)
            edges.append(Include(node[1], node[0], resolved.name if resolved.ok else None, resolved.written, ref.line))
            if resolved.diagnostic is not None:
                problems.append(resolved.diagnostic.with_chain(chain))
            elif resolved.name is not None and (False, resolved.name) not in self._out:
                pending.append((resolved.name, (*chain, (file, ref.line))))
        self._out[node] = edges
        self._build_diagnostics[node] = problems
        for name, sub_chain in pending:
            if (False, name) not in self._out:
                self._visit_partial(name, sub_chain)

    def _visit_partial(self, name: str, chain: tuple[tuple[str, int], ...]) -> None:
        # Iterative over the partial tree would complicate chains; depth is bounded by the number
        # of distinct partials because each is visited once, and real trees nest 2 deep.
        self._out[(False, name)] = []  # mark visited before recursing: cycles terminate
        try:
            ast = self.store[name]
            extra = [d.with_chain(chain) for d in self.store.file_diagnostics(name)]
        except KeyError:
            ast, extra = None, [d.with_chain(chain) for d in self.store.file_diagnostics(name)]
        self._set_node((False, name), find_partial_refs(ast), chain)
        self._build_diagnostics[(False, name)].extend(extra)

    def remove_page(self, page_id: str) -> None:
        self._out.pop((True, page_id), None)
        self._build_diagnostics.pop((True, page_id), None)
        self._cycles = None

    # -- queries ---------------------------------------------------------------------------

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Problems met while building (missing/outside/invalid partials) plus one ``partial-cycle``
        per cycle, located at the include that closes it."""
        found = [d for problems in self._build_diagnostics.values() for d in problems]
        for cycle in self.cycles():
            file, line = cycle[-1]
            loop = " → ".join(f"{f}:{n}" for f, n in cycle)
            found.append(
                Diagnostic("partial-cycle", "error", f"partial includes itself through {loop}", file, line, 1, tuple(cycle[:-1]))
            )
        return sorted(found, key=Diagnostic.sort_key)

    def includes(self, source: str, *, is_page: bool = True) -> list[Include]:
        """Direct includes of a page id (or of a partial name with ``is_page=False``)."""
        if not is_page:
            source = self.store.resolver.canonical(source)[0] or source
        return list(self._out.get((is_page, source), []))

    def partials_of(self, page_id: str) -> list[str]:
        """Every partial a page includes, directly or not (the files to watch for it)."""
        seen: set[str] = set()
        stack = [e.target for e in self._out.get((True, page_id), []) if e.target]
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(e.target for e in self._out.get((False, name), []) if e.target)
        return sorted(seen)

    def _reverse(self) -> dict[str, list[Node]]:
        reverse: dict[str, list[Node]] = {}
        for node, edges in self._out.items():
            for edge in edges:
                if edge.target is not None:
                    reverse.setdefault(edge.target, []).append(node)
        return reverse

    def _partial_name(self, partial: str | Path) -> str | None:
        resolver = self.store.resolver
        if isinstance(partial, Path) or partial.startswith((str(resolver.root) + os.sep, str(resolver._real_root) + os.sep)):
            return resolver.name_for(partial)
        return self.store.resolver.canonical(partial)[0]

    def dependents(self, partial: str | Path, *, include_partials: bool = False) -> list[str]:
        """The pages that include ``partial`` (written name or file path), directly or through
        other partials; with ``include_partials=True`` the intermediate partials too."""
        name = self._partial_name(partial)
        if name is None:
            return []
        reverse = self._reverse()
        seen: set[Node] = set()
        stack: list[Node] = list(reverse.get(name, []))
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if not node[0]:
                stack.extend(reverse.get(node[1], []))
        return sorted(ident for is_page, ident in seen if is_page or include_partials)

    def cycles(self) -> list[list[tuple[str, int]]]:
        """One include cycle per strongly connected group of partials, as ``(file, line)`` include
        sites: ``[(a.md, 3), (b.md, 5)]`` means a.md:3 includes b.md whose line 5 includes a.md.
        Self-inclusion is ``[(a.md, 3)]``."""
        if self._cycles is None:
            self._cycles = self._find_cycles()
        return [list(c) for c in self._cycles]

    def _find_cycles(self) -> list[list[tuple[str, int]]]:
        graph: dict[str, list[Include]] = {
            ident: [e for e in edges if e.target is not None]
            for (is_page, ident), edges in self._out.items()
            if not is_page
        }
        cycles: list[list[tuple[str, int]]] = []
        successors = {node: [e.target for e in edges if e.target is not None] for node, edges in graph.items()}
        for component in strongly_connected(successors):
            members = set(component)
            start = min(members)
            if len(members) == 1 and not any(e.target == start for e in graph.get(start, [])):
                continue
            path = _cycle_path(graph, start, members)
            if path:
                cycles.append([(self._file_of((False, e.source)), e.line) for e in path])
        return sorted(cycles)

    def unused(self, all_partials: Iterable[str | Path] | None = None, *, transitive: bool = False) -> list[str]:
        """Partials (canonical names) nobody includes; all files in the store by default.

        ``transitive=True`` also counts partials included only by unused partials, i.e. those
        no page reaches. Unvisited partials are read so their own includes count.
        """
        names = [self._partial_name(p) for p in (all_partials if all_partials is not None else list(self.store))]
        candidates = sorted({n for n in names if n is not None})
        for name in candidates:
            if (False, name) not in self._out and name in self.store:
                self._visit_partial(name, ())
        if transitive:
            reached: set[str] = set()
            for (is_page, ident) in list(self._out):
                if is_page:
                    reached.update(self.partials_of(ident))
            return [n for n in candidates if n not in reached]
        reverse = self._reverse()
        return [n for n in candidates if not reverse.get(n)]


def _cycle_path(graph: dict[str, list[Include]], start: str, members: set[str]) -> list[Include]:
    """A shortest include path from ``start`` back to itself within one component (BFS)."""
    previous: dict[str, Include] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        following: list[str] = []
        for node in frontier:
            for edge in graph.get(node, []):
                target = edge.target
                if target not in members:
                    continue
                if target == start:
                    path = [edge]
                    while path[0].source != start:
                        path.insert(0, previous[path[0].source])
                    return path
                if target not in seen:
                    seen.add(target)
                    previous[target] = edge
                    following.append(target)
        frontier = following
    return []
