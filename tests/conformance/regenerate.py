#!/usr/bin/env python3
"""Regenerate the conformance fixtures from the reference implementation.

Every case in ``tests/conformance/cases/*.yaml`` is sent through ONE ``node render.mjs --serve``
process (the Markdoc oracle, ``@markdoc/markdoc`` 0.5.10) and the answers are written to
``tests/conformance/expected/<same stem>.json``.

Locating the oracle:

* ``MARKDOC_ORACLE`` (environment) = path to ``render.mjs`` or to the folder holding it; its
  ``node_modules`` must already be installed;
* otherwise the read-only copy in ``../shared/markdoc/oracle`` (beside the repository root) is copied
  into a cache folder (``$XDG_CACHE_HOME/om-markdoc/oracle``, default ``~/.cache/om-markdoc/oracle``;
  override with ``MARKDOC_ORACLE_CACHE``) and ``npm install`` is run there when ``node_modules`` is
  missing.

Only the standard library and PyYAML are used.  The module is also imported by
``test_conformance.py`` for :func:`load_cases` (the single definition of the case-file format).

Usage: ``python tests/conformance/regenerate.py [--check] [--only STEM ...]``
  --check   do not write anything; exit 1 if any fixture would change (or is missing)
  --only    restrict to some case files (by stem, e.g. ``07-if-else``)
"""
from __future__ import annotations

import argparse
import copy
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
REPO_ROOT = HERE.parents[1]
SHARED_ORACLE = REPO_ROOT.parent / "shared" / "markdoc" / "oracle"

CASE_KEYS = {"name", "source", "file", "config", "options", "note"}
OPTION_KEYS = {"allowComments", "allowIndentation", "slots", "unknownTags", "validate"}
DEFAULT_OPTIONS = {
    "allowComments": False,
    "allowIndentation": False,
    "slots": False,
    "unknownTags": "strict",
    "validate": True,
}
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --------------------------------------------------------------------------------------------
# Case files
# --------------------------------------------------------------------------------------------

def _deep_merge(base: Any, over: Any) -> Any:
    """Dicts merge recursively (``over`` wins); anything else is replaced by ``over``."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _deep_merge(base[k], v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


def load_case_file(path: Path) -> list[dict]:
    """Read one case file and return its cases, fully resolved.

    A case file is either a YAML list of cases, or a mapping ``{defaults: {...}, cases: [...]}``
    whose ``defaults`` (keys ``file``, ``config``, ``options``) are deep-merged under every case.

    Each returned case has: ``stem``, ``name``, ``source``, ``file`` (``None`` allowed),
    ``config`` (dict), ``options`` (all of DEFAULT_OPTIONS' keys) and ``note``.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults: dict = {}
    if isinstance(data, dict):
        defaults = data.get("defaults") or {}
        raw_cases = data.get("cases") or []
        extra = set(data) - {"defaults", "cases"}
        if extra:
            raise ValueError(f"{path.name}: unknown top-level keys {sorted(extra)}")
    elif isinstance(data, list):
        raw_cases = data
    else:
        raise ValueError(f"{path.name}: expected a list of cases or {{defaults, cases}}")
    cases = []
    for i, raw in enumerate(raw_cases):
        if not isinstance(raw, dict):
            raise ValueError(f"{path.name}: case #{i} is not a mapping")
        unknown = set(raw) - CASE_KEYS
        if unknown:
            raise ValueError(f"{path.name}: case {raw.get('name', i)!r} has unknown keys {sorted(unknown)}")
        name = raw.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise ValueError(f"{path.name}: case #{i} has a missing or non-kebab-case name {name!r}")
        if not isinstance(raw.get("source"), str):
            raise ValueError(f"{path.name}: case {name!r} needs a string `source`")
        options = _deep_merge(DEFAULT_OPTIONS, defaults.get("options") or {})
        options = _deep_merge(options, raw.get("options") or {})
        bad = set(options) - OPTION_KEYS
        if bad:
            raise ValueError(f"{path.name}: case {name!r} has unknown options {sorted(bad)}")
        config = _deep_merge(defaults.get("config") or {}, raw.get("config") or {})
        file = raw["file"] if "file" in raw else defaults.get("file", "test.md")
        cases.append({
            "stem": path.stem,
            "name": name,
            "source": raw["source"],
            "file": file,
            "config": config,
            "options": options,
            "note": raw.get("note", ""),
        })
    return cases


def case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*.yaml"))


def load_cases(stems: list[str] | None = None) -> list[dict]:
    out = []
    for p in case_files():
        if stems and p.stem not in stems:
            continue
        out.extend(load_case_file(p))
    return out


# --------------------------------------------------------------------------------------------
# Oracle
# --------------------------------------------------------------------------------------------

def _cache_dir() -> Path:
    if os.environ.get("MARKDOC_ORACLE_CACHE"):
        return Path(os.environ["MARKDOC_ORACLE_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "om-markdoc" / "oracle"


def locate_oracle() -> Path:
    """Return the path of an oracle ``render.mjs`` whose dependencies are installed."""
    env = os.environ.get("MARKDOC_ORACLE")
    if env:
        p = Path(env)
        script = p / "render.mjs" if p.is_dir() else p
        if not script.is_file():
            sys.exit(f"MARKDOC_ORACLE={env}: render.mjs not found")
        return script
    if not (SHARED_ORACLE / "render.mjs").is_file():
        sys.exit(f"oracle not found: set MARKDOC_ORACLE or provide {SHARED_ORACLE}")
    cache = _cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    for f in SHARED_ORACLE.iterdir():
        if f.is_file():
            dst = cache / f.name
            if not dst.exists() or dst.read_bytes() != f.read_bytes():
                shutil.copyfile(f, dst)
    if not (cache / "node_modules" / "@markdoc" / "markdoc").is_dir():
        print(f"installing the oracle's dependencies in {cache} ...", file=sys.stderr)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=cache, check=True)
    return cache / "render.mjs"


def _first_line(text: str) -> str:
    return str(text).split("\n", 1)[0].strip()


def normalise_response(resp: dict) -> dict:
    """Reduce an oracle response to the fixture form: ``errors``, ``html`` (+ ``exception``).

    JS stack traces contain machine-specific paths, so an ``exception`` keeps only its first line
    (``TypeError: ...``), as does the message of the oracle's own ``oracle-validate-exception``.
    """
    out: dict[str, Any] = {"errors": resp.get("errors"), "html": resp.get("html")}
    if out["errors"] is not None:
        errs = []
        for e in out["errors"]:
            e = dict(e)
            if e.get("id") == "oracle-validate-exception":
                e["message"] = _first_line(e.get("message", ""))
            errs.append(e)
        out["errors"] = errs
    if "exception" in resp:
        out["exception"] = _first_line(resp["exception"])
    return out


def run_oracle(cases: list[dict], script: Path | None = None) -> dict[str, dict]:
    """Send every case through one ``--serve`` process; return ``{"stem::name": response}``."""
    script = script or locate_oracle()
    lines = []
    for c in cases:
        req = {"id": f"{c['stem']}::{c['name']}", "source": c["source"], "file": c["file"],
               "config": c["config"], **c["options"]}
        lines.append(json.dumps(req, ensure_ascii=False))
    proc = subprocess.run(["node", str(script), "--serve"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, encoding="utf-8", cwd=script.parent)
    if proc.returncode != 0:
        sys.exit(f"oracle failed (exit {proc.returncode}):\n{proc.stderr}")
    out: dict[str, dict] = {}
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        resp = json.loads(line)
        if "id" not in resp:
            sys.exit(f"oracle rejected a request: {resp}")
        out[resp["id"]] = resp
    missing = [c for c in cases if f"{c['stem']}::{c['name']}" not in out]
    if missing:
        sys.exit(f"oracle gave no answer for {len(missing)} case(s), e.g. {missing[0]['name']}")
    return out


def dump_fixture(obj: dict) -> str:
    return json.dumps(obj, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only report fixtures that would change")
    ap.add_argument("--only", nargs="*", metavar="STEM", help="case-file stems to regenerate")
    args = ap.parse_args(argv)

    cases = load_cases(args.only)
    seen: dict[str, str] = {}
    for c in cases:
        if c["name"] in seen:
            sys.exit(f"duplicate case name {c['name']!r} in {c['stem']} and {seen[c['name']]}")
        seen[c["name"]] = c["stem"]

    responses = run_oracle(cases)
    by_stem: dict[str, dict] = {}
    for c in cases:
        by_stem.setdefault(c["stem"], {})[c["name"]] = normalise_response(responses[f"{c['stem']}::{c['name']}"])

    EXPECTED_DIR.mkdir(exist_ok=True)
    changed, n_exc, n_err, ids = [], 0, 0, set()
    for stem, fixtures in sorted(by_stem.items()):
        text = dump_fixture(fixtures)
        path = EXPECTED_DIR / f"{stem}.json"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changed.append(path.name)
            if not args.check:
                path.write_text(text, encoding="utf-8")
        for r in fixtures.values():
            n_exc += "exception" in r
            n_err += bool(r["errors"])
            ids.update(e["id"] for e in r["errors"] or [])
        print(f"  {stem:28s} {len(fixtures):4d} cases")
    stale = []
    if not args.only:
        stale = [p.name for p in EXPECTED_DIR.glob("*.json") if p.stem not in by_stem]
        if not args.check:
            for name in stale:
                (EXPECTED_DIR / name).unlink()
    print(f"{len(cases)} cases in {len(by_stem)} files; {n_err} with errors, {n_exc} with an exception; "
          f"{len(ids)} distinct error ids")
    verb = "would change" if args.check else "updated"
    print(f"{len(changed)} fixture file(s) {verb}: {', '.join(changed) or '-'}")
    if stale:
        print(f"stale fixture file(s) {'to remove' if args.check else 'removed'}: {', '.join(stale)}")
    return 1 if args.check and (changed or stale) else 0


if __name__ == "__main__":
    sys.exit(main())
