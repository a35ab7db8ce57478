"""``om-markdoc render``: render plain Markdoc files (or stdin) to HTML, or to oracle-shaped JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from ..core.config import PARTIAL_SUFFIXES, read_config_file
from ..core.document import UNKNOWN_TAG_MODES, load_document_config, render_document
from ..core.tokenizer import Tokenizer

HELP = "Render Markdoc documents to HTML (plain Markdoc, no site features)."


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of .md/.mdoc files, or - for stdin")
    parser.add_argument("--config", metavar="C.json", help="Markdoc config in JSON (the oracle's --config format)")
    parser.add_argument("--allow-comments", action="store_true", help="treat <!-- --> as Markdoc comments")
    parser.add_argument("--allow-indentation", action="store_true", help="let indented content keep its block meaning")
    parser.add_argument("--slots", action="store_true", help="parse {%% slot %%} tags as slots")
    parser.add_argument("--partials-dir", metavar="D", help="load every Markdoc file below D as a partial")
    parser.add_argument(
        "--unknown-tags",
        choices=UNKNOWN_TAG_MODES,
        default="render",
        help="undeclared tags: render as elements of their own name (default, as the oracle), "
        "transparent, or strict (plain Markdoc: tag-undefined)",
    )
    parser.add_argument("--delimiters", choices=("curly", "angle"), default="curly", help="{%% %%} (curly) or <%% %%> (angle)")
    parser.add_argument("--no-validate", action="store_true", help="skip validation")
    parser.add_argument("--json", action="store_true", help="one JSON line per document: {file, errors, html}")


def _inputs(paths: list[str]) -> Iterator[tuple[str, str]]:
    for raw in paths:
        if raw == "-":
            yield "<stdin>", sys.stdin.read()
            continue
        path = Path(raw)
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in PARTIAL_SUFFIXES) if path.is_dir() else [path]
        for file in files:
            yield str(file), file.read_bytes().decode("utf-8", errors="replace")


def run(args: argparse.Namespace) -> int:
    try:
        config = read_config_file(args.config) if args.config else None
    except (OSError, ValueError) as exc:
        print(f"om-markdoc: cannot read config {args.config}: {exc}", file=sys.stderr)
        return 2
    tokenizer = Tokenizer(
        allow_comments=args.allow_comments, allow_indentation=args.allow_indentation, delimiters=args.delimiters
    )
    worst = 0
    try:
        loaded = load_document_config(config, tokenizer=tokenizer, slots=args.slots, partials_dir=args.partials_dir)
        for name, source in _inputs(args.paths):
            record = render_document(
                source,
                file=name,
                slots=args.slots,
                unknown_tags=args.unknown_tags,
                validate=not args.no_validate,
                tokenizer=tokenizer,
                loaded_config=loaded,
            )
            if any(e["level"] in ("error", "critical") for e in record["errors"]):
                worst = 1
            if args.json:
                print(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
                continue
            for error in record["errors"]:
                line = error["lines"][0] + 1 if error["lines"] else 1
                print(f"{name}:{line}:1: {error['level']}: {error['message']} [{error['id']}]", file=sys.stderr)
            print(record["html"] or "")
    except OSError as exc:
        print(f"om-markdoc: {exc}", file=sys.stderr)
        return 2
    return worst
