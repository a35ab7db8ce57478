"""Partial resolution (including escape attempts), the lazy AST store and partial references."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from om_markdoc.core.api import parse
from om_markdoc.site.partials import PartialResolver, PartialStore, find_partial_refs


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    write(root / "partials" / "v1.5" / "connectors" / "test-connection.md", "Test it.\n")
    write(root / "partials" / "v1.5" / "connectors" / "Mixed.md", "case\n")
    write(root / "partials" / "v1.5" / "yaml" / "config.md",
          "Config\n\n{% partial file=\"/v1.5/yaml/sink.md\" /%}\n\n{% partial file=\"/v1.5/yaml/missing.md\" /%}\n")
    write(root / "partials" / "v1.5" / "yaml" / "sink.md", "Sink\n")
    write(root / "partials" / "v1.5" / "cycle" / "a.md", "A\n{% partial file=\"/v1.5/cycle/b.md\" /%}\n")
    write(root / "partials" / "v1.5" / "cycle" / "b.md", "B\n\n{% partial file=\"/v1.5/cycle/a.md\" /%}\n")
    write(root / "partials" / "v1.5" / "cycle" / "self.md", "S\n{% partial file=\"v1.5/cycle/self.md\" /%}\n")
    write(root / "partials" / "v1.5" / "unused.md", "nobody\n{% partial file=\"/v1.5/only-via-unused.md\" /%}\n")
    write(root / "partials" / "v1.5" / "only-via-unused.md", "x\n")
    write(root / "partials" / "v1.4" / "old.md", "old\n")
    write(tmp_path / "secret.md", "SECRET\n")
    return root


def resolver_for(content: Path) -> PartialResolver:
    return PartialResolver(content / "partials", display_root=content)


def test_resolve_written_forms(content: Path) -> None:
    r = resolver_for(content)
    for written in ("/v1.5/connectors/test-connection.md", "v1.5/connectors/test-connection.md",
                    "/v1.5/./connectors//test-connection.md", " /v1.5/connectors/test-connection.md "):
        res = r.resolve(written, file="v1.6.x/p.md", line=4)
        assert res.ok and res.name == "/v1.5/connectors/test-connection.md", written
        assert res.path == content / "partials" / "v1.5" / "connectors" / "test-connection.md"


@pytest.mark.parametrize(
    ("written", "rule"),
    [
        ("../../../etc/passwd", "partial-outside-root"),
        ("/v1.5/../../secret.md", "partial-outside-root"),
        ("v1.5/connectors/../../../secret.md", "partial-outside-root"),
        ("//etc/passwd", "partial-outside-root"),
        ("C:/Windows/win.ini", "partial-outside-root"),
        ("..\\secret.md", "partial-outside-root"),
        ("/v1.5/x.md\x00.png", "partial-invalid"),
        ("", "partial-invalid"),
        ("/", "partial-invalid"),
        (None, "partial-invalid"),
        (42, "partial-invalid"),
        ("/etc/passwd", "partial-missing"),  # root-relative: looks for <partials>/etc/passwd, never /etc/passwd
        ("/v1.5/nope.md", "partial-missing"),
    ],
)
def test_resolve_rejections(content: Path, written: object, rule: str) -> None:
    res = resolver_for(content).resolve(written, file="v1.5.x/page.md", line=7, column=3)
    assert not res.ok and res.path is None
    assert res.diagnostic is not None and res.diagnostic.rule == rule
    assert (res.diagnostic.file, res.diagnostic.line, res.diagnostic.column) == ("v1.5.x/page.md", 7, 3)


def test_symlink_out_of_root_is_refused(content: Path, tmp_path: Path) -> None:
    link = content / "partials" / "v1.5" / "evil.md"
    dir_link = content / "partials" / "v1.5" / "evil-dir"
    try:
        link.symlink_to(tmp_path / "secret.md")
        dir_link.symlink_to(tmp_path, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not supported here")
    r = resolver_for(content)
    for written in ("/v1.5/evil.md", "/v1.5/evil-dir/secret.md"):
        res = r.resolve(written)
        assert not res.ok and res.diagnostic is not None and res.diagnostic.rule == "partial-outside-root"
    assert "/v1.5/evil.md" not in list(r.iter_names())
    # A symlink that stays inside the root is fine.
    inside = content / "partials" / "v1.5" / "alias.md"
    inside.symlink_to(content / "partials" / "v1.5" / "yaml" / "sink.md")
    assert r.resolve("/v1.5/alias.md").ok
    store = PartialStore(r, parse)
    assert "/v1.5/evil.md" not in store
    with pytest.raises(KeyError):
        store["/v1.5/evil.md"]


def test_case_hint(content: Path) -> None:
    res = resolver_for(content).resolve("/v1.5/connectors/mixed.md")
    if res.ok:
        pytest.skip("case-insensitive file system")
    assert res.diagnostic is not None and "did you mean /v1.5/connectors/Mixed.md" in res.diagnostic.message


def test_store_is_a_lazy_cached_mapping(content: Path) -> None:
    calls: list[str] = []

    def counting_parse(source: str, file: str) -> object:
        calls.append(file)
        return parse(source, file)

    store = PartialStore(resolver_for(content), counting_parse)
    assert calls == []
    name = "/v1.5/yaml/sink.md"
    ast = store[name]
    assert store["v1.5/yaml/sink.md"] is ast and calls == ["partials/v1.5/yaml/sink.md"]
    assert name in store and "/v1.5/none.md" not in store and "../x" not in store
    assert store.get("/v1.5/none.md") is None
    assert store.problem("/v1.5/none.md").rule == "partial-missing"  # type: ignore[union-attr]
    assert store.problem(name) is None
    assert store.source(name) == "Sink\n"
    names = list(store)
    assert "/v1.4/old.md" in names and name in names and len(store) == len(names) == 10
    # an edit (new size/mtime) re-parses without invalidate()
    path = content / "partials" / "v1.5" / "yaml" / "sink.md"
    path.write_text("Sink, changed\n")
    os.utime(path, ns=(1, 1))
    assert store[name] is not ast and len(calls) == 2
    # invalidate by path and by name
    assert store.invalidate(path) is True and store.invalidate(path) is False
    store[name]
    assert store.invalidate(name) is True
    assert len(calls) == 3


def test_store_survives_bad_bytes_and_bad_parsers(content: Path) -> None:
    (content / "partials" / "v1.5" / "bad.md").write_bytes(b"ok \xff\n")
    store = PartialStore(resolver_for(content), parse)
    store["/v1.5/bad.md"]
    (d,) = store.file_diagnostics("/v1.5/bad.md")
    assert (d.rule, d.file, d.line, d.column) == ("invalid-utf8", "partials/v1.5/bad.md", 1, 4)

    def broken(source: str, file: str) -> object:
        raise RuntimeError("boom")

    store = PartialStore(resolver_for(content), broken)
    with pytest.raises(KeyError):
        store["/v1.5/yaml/sink.md"]
    assert [d.rule for d in store.file_diagnostics("/v1.5/yaml/sink.md")] == ["partial-parse-error"]


def test_find_partial_refs() -> None:
    ast = parse('# T\n\n{% partial file="/v1.5/a.md" variables={x: 1} /%}\n\n- x {% partial file="b.md" /%}\n')
    refs = find_partial_refs(ast)
    assert [(r.file, r.line) for r in refs] == [("/v1.5/a.md", 3), ("b.md", 5)]
    assert find_partial_refs(None) == []
