#!/usr/bin/env python3
"""Regenerate the formatter fixtures from the reference implementation (``Markdoc.format``).

Two kinds of fixture, both written from ``@markdoc/markdoc`` 0.5.10 through ONE
``node render.mjs --serve`` process:

* ``expected/<stem>.json`` for every ``cases/<stem>.yaml``: per case, ``formatted`` (the
  reference's ``Markdoc.format(Markdoc.parse(source), options)``) and ``reformatted`` (the same
  applied to ``formatted``; equal to it when the reference is idempotent on the case);
* ``corpus_format_digests.json`` (with ``--corpus``): for every page of the OpenMetadata docs
  corpus (the three versions and ``content/partials``), sha256 digests of ``formatted`` and
  ``reformatted``, and whether the reference's own HTML of the page changes when the page is
  formatted (``render_changes``; rendered with no config and undeclared tags as elements).  The
  corpus text itself never enters the repository.

The oracle needs a ``--format`` mode that the shared ``render.mjs`` lacks; ``render-format.patch``
(beside this script) adds it, eight lines.  Locating the oracle:

* ``MARKDOC_FORMAT_ORACLE`` (environment) = a ``render.mjs`` (or its folder) that already has
  ``--format``, with ``node_modules`` installed;
* otherwise the read-only ``../shared/markdoc/oracle`` beside the repository is copied into a cache
  folder (``$XDG_CACHE_HOME/om-markdoc/oracle-format``, ``MARKDOC_FORMAT_ORACLE_CACHE``
  overrides), the patch applied with ``git apply`` and ``npm install`` run there once.

Usage: ``python tests/format/regenerate.py [--check] [--only STEM ...] [--corpus [DIR]]``
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
EXPECTED_DIR = HERE / "expected"
CORPUS_FIXTURE = HERE / "corpus_format_digests.json"
PATCH = HERE / "render-format.patch"
REPO_ROOT = HERE.parents[1]
SHARED_ORACLE = REPO_ROOT.parent / "shared" / "markdoc" / "oracle"
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "openmetadata-docs"
CORPUS_FOLDERS = ("partials", "v1.4.x", "v1.5.x", "v1.6.x-SNAPSHOT")
EXTENSIONS = (".md", ".mdoc", ".markdoc", ".markdown")  # the oracle's listFiles()

CASE_KEYS = {"name", "source", "options", "note"}
# Options map to the oracle: tokenizer options, and Markdoc.format's options.
OPTION_KEYS = {"allowComments", "allowIndentation", "maxTagOpeningWidth", "orderedListMode"}
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --------------------------------------------------------------------------------------------
# Case files
# --------------------------------------------------------------------------------------------

def load_case_file(path: Path) -> list[dict[str, Any]]:
    """One case file: a YAML list of ``{name, source, options?, note?}``, or
    ``{defaults: {options: {...}}, cases: [...]}`` whose options apply to every case."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults: dict[str, Any] = {}
    if isinstance(data, dict):
        extra = set(data) - {"defaults", "cases"}
        if extra:
            raise ValueError(f"{path.name}: unknown top-level keys {sorted(extra)}")
        defaults, data = data.get("defaults") or {}, data.get("cases") or []
    if not isinstance(data, list):
        raise ValueError(f"{path.name}: expected a list of cases or {{defaults, cases}}")
    cases = []
    for i, raw in enumerate(data):
        if not isinstance(raw, dict):
            raise ValueError(f"{path.name}: case #{i} is not a mapping")
        unknown = set(raw) - CASE_KEYS
        name = raw.get("name")
        if unknown:
            raise ValueError(f"{path.name}: case {name or i!r} has unknown keys {sorted(unknown)}")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise ValueError(f"{path.name}: case #{i} has a missing or non-kebab-case name {name!r}")
        if not isinstance(raw.get("source"), str):
            raise ValueError(f"{path.name}: case {name!r} needs a string `source`")
        options = {**(defaults.get("options") or {}), **(raw.get("options") or {})}
        bad = set(options) - OPTION_KEYS
        if bad:
            raise ValueError(f"{path.name}: case {name!r} has unknown options {sorted(bad)}")
        cases.append({"stem": path.stem, "name": name, "source": raw["source"], "options": options,
                      "note": raw.get("note", "")})
    return cases


def load_cases(stems: list[str] | None = None) -> list[dict[str, Any]]:
    """The cases of every file (or of the ``stems`` given); names are unique across files."""
    out = [case for path in sorted(CASES_DIR.glob("*.yaml")) if not stems or path.stem in stems
           for case in load_case_file(path)]
    names = [case["name"] for case in out]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"case names used more than once: {twice}")
    return out


def python_options(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A case's options as ``(tokenizer kwargs, format_ast kwargs)`` of the port."""
    tokenizer = {"allow_comments": bool(options.get("allowComments")),
                 "allow_indentation": bool(options.get("allowIndentation"))}
    fmt = {"allow_indentation": bool(options.get("allowIndentation"))}
    if "maxTagOpeningWidth" in options:
        fmt["max_tag_opening_width"] = options["maxTagOpeningWidth"]
    if "orderedListMode" in options:
        fmt["ordered_list_mode"] = options["orderedListMode"]
    return tokenizer, fmt


def _oracle_format_options(options: dict[str, Any]) -> dict[str, Any]:
    out = {k: options[k] for k in ("maxTagOpeningWidth", "orderedListMode") if k in options}
    if options.get("allowIndentation"):
        out["allowIndentation"] = True
    return out


# --------------------------------------------------------------------------------------------
# Oracle
# --------------------------------------------------------------------------------------------

def _supports_format(script: Path) -> bool:
    return "'--format'" in script.read_text(encoding="utf-8")


def locate_oracle() -> Path:
    """A ``render.mjs`` with ``--format`` whose dependencies are installed."""
    env = os.environ.get("MARKDOC_FORMAT_ORACLE")
    if env:
        path = Path(env)
        script = path / "render.mjs" if path.is_dir() else path
        if not script.is_file() or not _supports_format(script):
            sys.exit(f"MARKDOC_FORMAT_ORACLE={env}: no render.mjs with --format there")
        return script
    if not (SHARED_ORACLE / "render.mjs").is_file():
        sys.exit(f"oracle not found: set MARKDOC_FORMAT_ORACLE or provide {SHARED_ORACLE}")
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cache = Path(os.environ.get("MARKDOC_FORMAT_ORACLE_CACHE") or base / "om-markdoc" / "oracle-format")
    cache.mkdir(parents=True, exist_ok=True)
    for f in SHARED_ORACLE.iterdir():
        if f.is_file():
            shutil.copyfile(f, cache / f.name)
    subprocess.run(["git", "apply", "-p1", str(PATCH)], cwd=cache, check=True)
    if not (cache / "node_modules" / "@markdoc" / "markdoc").is_dir():
        print(f"installing the oracle's dependencies in {cache} ...", file=sys.stderr)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=cache, check=True)
    return cache / "render.mjs"


def serve(requests: list[dict[str, Any]], script: Path) -> dict[str, dict[str, Any]]:
    """Answer every request with one ``--serve`` process; ``{id: response}``."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
    proc = subprocess.run(["node", str(script), "--serve"], input=text, capture_output=True,
                          text=True, encoding="utf-8", cwd=script.parent)
    if proc.returncode != 0:
        sys.exit(f"oracle failed (exit {proc.returncode}):\n{proc.stderr}")
    out = {}
    for line in proc.stdout.splitlines():
        if line.strip():
            response = json.loads(line)
            if "id" not in response:
                sys.exit(f"oracle rejected a request: {response}")
            out[response["id"]] = response
    missing = [r["id"] for r in requests if r["id"] not in out]
    if missing:
        sys.exit(f"oracle gave no answer for {len(missing)} request(s), e.g. {missing[0]}")
    return out


def _formatted(response: dict[str, Any], what: str) -> str:
    if "formatted" not in response:
        sys.exit(f"{what}: the reference formatter threw: {str(response.get('exception')).splitlines()[0]}")
    return response["formatted"]


def format_twice(items: list[tuple[str, str, dict[str, Any]]], script: Path) -> dict[str, tuple[str, str]]:
    """``{id: (formatted, reformatted)}`` for ``(id, source, case options)`` items."""

    def request(key: str, source: str, options: dict[str, Any]) -> dict[str, Any]:
        return {"id": key, "source": source, "format": _oracle_format_options(options) or True,
                "allowComments": bool(options.get("allowComments")),
                "allowIndentation": bool(options.get("allowIndentation"))}

    first = serve([request(k, s, o) for k, s, o in items], script)
    once = {k: _formatted(first[k], k) for k, _, _ in items}
    second = serve([request(k, once[k], o) for k, _, o in items], script)
    return {k: (once[k], _formatted(second[k], k)) for k, _, _ in items}


def dump_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------

def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def list_corpus(content: Path) -> list[str]:
    """Every page of :data:`CORPUS_FOLDERS`, POSIX paths relative to ``content``, sorted."""
    out = []
    for folder in CORPUS_FOLDERS:
        root = content / folder
        if not root.is_dir():
            raise FileNotFoundError(f"corpus folder missing: {root}")
        out.extend(p.relative_to(content).as_posix() for p in root.rglob("*")
                   if p.is_file() and p.suffix.lower() in EXTENSIONS)
    return sorted(out)


def read_source(path: Path) -> str:
    """As Node's ``readFileSync(f, 'utf8')``: bad bytes become U+FFFD."""
    return path.read_bytes().decode("utf-8", errors="replace")


def corpus_fixture(corpus: Path, script: Path) -> dict[str, Any]:
    content = corpus / "content"
    pages = list_corpus(content)
    sources = {p: read_source(content / p) for p in pages}
    twice = format_twice([(p, sources[p], {}) for p in pages], script)
    html = serve([{"id": f"{k}::{p}", "source": text, "unknownTags": "render", "validate": False}
                  for p in pages for k, text in (("before", sources[p]), ("after", twice[p][0]))], script)
    digests = {}
    for p in pages:
        formatted, reformatted = twice[p]
        digests[p] = {"formatted": sha256(formatted), "reformatted": sha256(reformatted),
                      "render_changes": html[f"before::{p}"].get("html") != html[f"after::{p}"].get("html")}
    return {
        "_about": "sha256 of Markdoc.format(parse(page)) and of formatting that again, per corpus page, "
                  "and whether formatting changes the reference's HTML; tests/format/regenerate.py --corpus",
        "oracle": "@markdoc/markdoc " + json.loads((script.parent / "node_modules" / "@markdoc" / "markdoc"
                                                    / "package.json").read_text())["version"],
        "folders": list(CORPUS_FOLDERS),
        "pages": digests,
    }


def dump_corpus_fixture(obj: dict[str, Any]) -> str:
    """One line per page: small, stable diffs."""
    head = {k: v for k, v in obj.items() if k != "pages"}
    rows = [f" {json.dumps(p)}: {json.dumps(d, sort_keys=True)}" for p, d in sorted(obj["pages"].items())]
    return json.dumps(head, sort_keys=True, indent=1)[:-2] + ',\n "pages": {\n' + ",\n".join(rows) + "\n }\n}\n"


# --------------------------------------------------------------------------------------------

def _update(path: Path, text: str, check: bool, changed: list[str]) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old != text:
        changed.append(path.name)
        if not check:
            path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a fixture would change")
    ap.add_argument("--only", nargs="*", metavar="STEM", help="case-file stems to regenerate")
    ap.add_argument("--corpus", nargs="?", const=DEFAULT_CORPUS, type=Path, metavar="DIR",
                    help="also regenerate the corpus digests (DIR holds content/)")
    args = ap.parse_args(argv)

    cases = load_cases(args.only)
    script = locate_oracle()
    results = format_twice([(f"{c['stem']}::{c['name']}", c["source"], c["options"]) for c in cases], script)
    by_stem: dict[str, dict[str, Any]] = {}
    for case in cases:
        formatted, reformatted = results[f"{case['stem']}::{case['name']}"]
        by_stem.setdefault(case["stem"], {})[case["name"]] = {"formatted": formatted, "reformatted": reformatted}
    EXPECTED_DIR.mkdir(exist_ok=True)
    changed: list[str] = []
    for stem, fixtures in sorted(by_stem.items()):
        _update(EXPECTED_DIR / f"{stem}.json", dump_json(fixtures), args.check, changed)
        unstable = sum(f["formatted"] != f["reformatted"] for f in fixtures.values())
        print(f"  {stem:28s} {len(fixtures):4d} cases, {unstable} not idempotent in the reference")
    stale = [] if args.only else [p for p in EXPECTED_DIR.glob("*.json") if p.stem not in by_stem]
    for path in stale:
        changed.append(path.name + " (stale)")
        if not args.check:
            path.unlink()
    print(f"{len(cases)} cases in {len(by_stem)} files")
    if args.corpus:
        fixture = corpus_fixture(args.corpus, script)
        pages = fixture["pages"].values()
        print(f"corpus: {len(fixture['pages'])} pages, {sum(d['render_changes'] for d in pages)} render differently "
              f"once formatted, {sum(d['formatted'] != d['reformatted'] for d in pages)} not idempotent")
        _update(CORPUS_FIXTURE, dump_corpus_fixture(fixture), args.check, changed)
    print(f"{len(changed)} fixture file(s) {'would change' if args.check else 'updated'}: {', '.join(changed) or '-'}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
