"""How long checking the fenced examples of one corpus version takes.

Collects every example of ``../shared/corpus/openmetadata-docs/content/<version>`` (pages and
the partials they include, once per set of partial variables), then validates each YAML and
JSON example (parsing with key maps; with ``--schemas``, the server-configuration examples also
against the OpenMetadata 1.7 JSON Schemas). Target: under 5 s for a version (~2,000 fences).

    .venv/bin/python benchmarks/bench_examples.py [--version v1.6.x-SNAPSHOT] [--schemas] [--json]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from om_markdoc.examples.runner import ExampleSession  # noqa: E402
from om_markdoc.site.project import Project  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"
SCHEMAS = REPO.parent / "shared" / "schemas" / "openmetadata-1.7"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--version", default="v1.6.x-SNAPSHOT")
    parser.add_argument("--schemas", action="store_true", help="bind server-configuration examples to the 1.7 schemas")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--target", type=float, default=5.0, help="seconds; exit 1 above it")
    args = parser.parse_args(argv)

    if not (args.corpus / "content" / args.version).is_dir():
        print(f"corpus version not found: {args.corpus / 'content' / args.version}", file=sys.stderr)
        return 2
    config: dict = {"validators": {}, "rules": []}
    if args.schemas:
        config = {
            "schemas_root": str(SCHEMAS),
            "validators": {
                "server": {
                    "type": "jsonschema",
                    "properties": {
                        "authenticationConfiguration": "json-schema/authenticationConfiguration.schema.json",
                        "authorizerConfiguration": "json-schema/authorizerConfiguration.schema.json",
                    },
                    "defaults": "server/openmetadata.yaml",
                }
            },
            "rules": [{"contains": "^(authenticationConfiguration|authorizerConfiguration):", "validator": "server"}],
        }

    started = time.perf_counter()
    session = ExampleSession(Project.around(args.corpus), config=config)
    pages = session.pages([f"{args.version}/*"])
    collected = []
    for page in pages:
        collected.extend(session.bound(session.collect(page)))
    collect_s = time.perf_counter() - started

    seen: set = set()
    data = [(e, b) for e, b in collected if e.language.lower() in ("yaml", "yml", "json") and session.new(e, b, seen)]
    t0 = time.perf_counter()
    outcomes = [session.run(e, b) for e, b in data]
    validate_s = time.perf_counter() - t0
    total_s = time.perf_counter() - started

    statuses = collections.Counter(o.status for o in outcomes)
    figures = {
        "version": args.version,
        "pages": len(pages),
        "fences": len(collected),
        "yaml_json_examples": len(data),
        "collect_s": round(collect_s, 3),
        "validate_s": round(validate_s, 3),
        "total_s": round(total_s, 3),
        "per_example_ms": round(1000 * validate_s / max(1, len(data)), 3),
        "outcomes": dict(statuses),
        "findings": sum(len(o.diagnostics()) for o in outcomes),
        "target_s": args.target,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{figures['version']}: {figures['pages']} pages, {figures['fences']} fences, {figures['yaml_json_examples']} YAML/JSON examples"
        )
        print(f"collect  {collect_s:6.2f} s")
        print(f"validate {validate_s:6.2f} s  ({figures['per_example_ms']} ms per example)")
        print(f"total    {total_s:6.2f} s  (target {args.target:.1f} s)")
        print("outcomes " + ", ".join(f"{k}={v}" for k, v in sorted(statuses.items())) + f"; findings={figures['findings']}")
    return 0 if total_s <= args.target else 1


if __name__ == "__main__":
    raise SystemExit(main())
