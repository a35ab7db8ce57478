"""A bad configuration file is one located error and exit status 2, never a traceback: the
option's own line and column in ``om-markdoc.yml`` or inside a ``mkdocs.yml``'s plugin options."""

from __future__ import annotations

from pathlib import Path

import pytest

from om_markdoc.cli import main

from .conftest import small_tree, write

PLUGIN = "site_name: x\ndocs_dir: docs\nplugins:\n  - search\n  - om-markdoc:\n      check:\n"


@pytest.mark.parametrize(
    ("check", "line", "column", "message"),
    [
        ("  severity: {link-broken: loud}\n", 2, 14, "severity of 'link-broken' must be error, warning, info or off, not 'loud'"),
        (
            "  ignore:\n    - {path: a/**}\n    - {path: b, rules: [[x]]}\n",
            4,
            17,
            "'rules' of an ignore entry must be a list of rule ids",
        ),
        ("  ignore:\n    - [a]\n", 3, 7, "each 'check.ignore' entry needs a 'path' glob"),
        ("  external: {timeout: soon}\n", 2, 14, "'check.external.timeout' must be a number"),
        ("  extra: 1\n", 2, 3, "unknown key(s) under 'check': extra"),
    ],
)
def test_bad_check_option_in_om_markdoc_yml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], check: str, line: int, column: int, message: str
) -> None:
    tree = small_tree(tmp_path, extra={"om-markdoc.yml": "check:\n" + check})
    assert main(["check", str(tree)]) == 2
    err = capsys.readouterr().err
    assert f"{tree / 'om-markdoc.yml'}:{line}:{column}: error: {message}" in err, err
    assert err.rstrip().endswith("[config-invalid]")


def test_bad_check_option_inside_mkdocs_yml_plugin_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options = "        ignore:\n          - {path: a, rules: 3}\n"
    write(tmp_path, {"mkdocs.yml": PLUGIN + options, "docs/index.md": "# Home\n"})
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert (
        f"{tmp_path / 'mkdocs.yml'}:8:23: error: 'rules' of an ignore entry must be a list of rule ids, got 3 [config-invalid]"
        in err
    ), err


def test_a_config_file_that_is_no_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = small_tree(tmp_path, extra={"om-markdoc.yml": "- check\n"})
    assert main(["check", str(tree)]) == 2
    assert (
        f"{tree / 'om-markdoc.yml'}:1:1: error: expected a mapping at the top level, not list [config-invalid]"
        in capsys.readouterr().err
    )
