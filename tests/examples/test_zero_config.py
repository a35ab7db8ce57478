"""Examples checked with no configuration at all: YAML, JSON and ``.env`` examples parse, told
from their language or their content; scripts, prose and text written for the reader are left
alone. Also: env blocks with a malformed line, reader placeholders in ``${VAR:-default}``
defaults, and the validators' modules."""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

import pytest

from om_markdoc.cli import check_cmd
from om_markdoc.examples import check_examples
from om_markdoc.examples.bind import ExamplesConfig, bind, syntax_binding
from om_markdoc.examples.collect import Example
from om_markdoc.examples.detect import syntax_format
from om_markdoc.examples.envfile import parse_env

from .trees import placed, write_tree

# -- the validators' modules -------------------------------------------------------------------


def test_each_validator_has_its_module_and_the_old_names_still_import() -> None:
    package = importlib.import_module("om_markdoc.examples.validators")
    for name in (
        "Problem",
        "Validators",
        "ValidatorConfigError",
        "JsonSchemaValidator",
        "EnvValidator",
        "build_validator",
        "parse_data",
    ):
        assert hasattr(package, name), name
    modules = {
        "yaml_json": "yaml_validator",
        "jsonschema_validator": "JsonSchemaValidator",
        "helm": "helm_values_validator",
        "env": "EnvValidator",
        "custom": "custom_validator",
        "schemas": "SchemaFolder",
        "base": "Problem",
    }
    for module, name in modules.items():
        assert hasattr(importlib.import_module(f"om_markdoc.examples.validators.{module}"), name), module
    examples = importlib.import_module("om_markdoc.examples")
    assert examples.Problem is package.base.Problem
    assert examples.build_validator is package.build_validator


# -- telling the format ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("implicit", "authenticationConfiguration:\n  provider: okta\n", "yaml"),
        ("", "- name: a\n  value: 1\n", "yaml"),
        ("authcode", '{"a": [1, 2]}\n', "json"),
        ("", '"member": {"a": 1},\n', "json"),
        ("", '[\n  {"a": 1}\n]\n', "json"),
        ("implicit", "AUTHENTICATION_PROVIDER=okta\nexport CLIENT_ID=x\n", "env"),
        ("", "# comment\nAUTHORIZER_ADMIN_PRINCIPALS=[admin]\n", "env"),
        ("my-settings.yaml", "a: 1\n", "yaml"),
        ("yaml", "a: 1\n  ...\n", "yaml"),
        # not config: scripts, prose, log output, diagrams, other languages
        ("", "cd /opt/app\n./run.sh --port 8585\n", None),
        ("", "Error: INSTALLATION FAILED: values don't meet the schema\n", None),
        ("", "RuntimeError: Table entity not found: [<default>.pg_class]\n", None),
        ("", "The server starts on port 8585.\nOpen it in a browser.\n", None),
        ("yaml", "Service # name\n│\n└─── DB # Database\n│   └─── SCHEMA\n", None),
        ("json", "...\nif provider == Provider.AWS:\n    return AwsManager()\n", None),
        ("python", "a: 1\n", None),
        ("text", "key: value: other\n", None),
        ("", "   \n", None),
    ],
)
def test_syntax_format(language: str, text: str, expected: str | None) -> None:
    assert syntax_format(language, text) == expected


def test_syntax_binding_and_bind_fallback() -> None:
    example = Example("a.md", 1, "implicit", "a: 1\n", "a: 1\n")
    assert syntax_binding(example).validator == "yaml"
    assert syntax_binding(example).origin == "syntax"
    assert bind(example, ExamplesConfig()).validator == "yaml"
    assert bind(example, ExamplesConfig(parse_unbound=False)).validator is None
    assert bind(example, ExamplesConfig(parse_unbound=False), default_syntax=True).validator == "yaml"
    assert bind(example, ExamplesConfig(), default_syntax=False).validator is None


# -- a tree with no configuration --------------------------------------------------------------

PAGE = """
    # Zero configuration

    {% codeWithLanguageSelector title="t" id="c" languagesArray=["implicit","authcode"] %}

    ```implicit
    authenticationConfiguration:
      provider: okta
        clientId: x
    ```

    ```authcode
    AUTHENTICATION_PROVIDER=okta
    AUTHENTICATION_CLIENT_ID: abc
    AUTHENTICATION_AUTHORITY=https://example.com
    ```

    {% /codeWithLanguageSelector %}

    ```
    {"a": 1 "b": 2}
    ```

    ```
    cd /opt/app
    ./run.sh --port 8585
    ```

    ```
    Error: INSTALLATION FAILED: values don't meet the schema
    ```

    ```yaml
    source:
      config:
        ...
        type: Mysql
      [...]
    sink:
      type: metadata-rest
    ```

    ```json
    "model.customers": {
        "name": "customers",
        "timestamp": <Unix timestamp>
    },
    ```

    ```yaml
    action:
      secret: {{ env('CLIENT_SECRET') }}
    ```

    ```bash
    docker compose exec mysql mysql -u root -e "create database restore;"
    pip install -e '.[dev]'
    ```
    """


def test_zero_configuration_reports_only_real_defects(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"docs/page.md": PAGE})
    found = check_examples(root)
    assert placed(found) == [
        ("example-unparseable", "docs/page.md", 8, 13),  # implicit tab: a key under a scalar
        ("example-unparseable", "docs/page.md", 13, 25),  # authcode tab: NAME: value in a .env block
        ("example-unparseable", "docs/page.md", 20, 9),  # no language: JSON missing a comma
    ]
    assert "AUTHENTICATION_CLIENT_ID=value" in found[1].message
    assert check_examples(root, default_syntax=False) == []


def test_code_block_pieces_are_checked_as_one_file(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "docs/page.md": """
                {% codeBlock fileName="manifest.json" %}

                ```json {% srNumber=1 %}
                {
                    "entries": [
                ```
                ```json {% srNumber=2 %}
                        {"dataPath": "a"}
                ```
                ```json {% srNumber=3 %}
                        {"dataPath": "b"}
                    ]
                }
                ```

                {% /codeBlock %}

                {% codeBlock fileName="workflow.yaml" %}

                ```yaml {% srNumber=1 %}
                source:
                  serviceConnection:
                    config:
                ```
                ```yaml {% srNumber=2 %}
                      type: Datalake
                      bucket: b
                  sourceConfig: {}
                ```

                {% /codeBlock %}
                """,
        },
    )
    found = check_examples(root)
    # each piece alone is no JSON document; together they are one, missing a comma between
    # pieces 2 and 3 (reported where piece 3 starts); the YAML pieces make a valid file
    assert placed(found) == [("example-unparseable", "docs/page.md", 11, 9)]
    assert "delimiter" in found[0].message


# -- env blocks ----------------------------------------------------------------------------------


def test_env_block_with_a_malformed_line_is_still_read_line_by_line() -> None:
    entries, errors = parse_env("A=1\nB: 2\nexport C=3\nD value\n")
    assert [(e.name, e.line) for e in entries] == [("A", 0), ("C", 2)]
    assert [(e.line, e.column) for e in errors] == [(1, 1), (3, 1)]
    assert "B=value" in errors[0].message and "':'" in errors[0].message
    # a script stays a script: only its export lines are read
    entries, errors = parse_env("cd /opt\nexport X=1\n./run.sh\n")
    assert [e.name for e in entries] == ["X"] and errors == []


def test_docker_env_options_stop_at_the_image() -> None:
    text = "docker run --name om -p 8585:8585 -e A=1 \\\n  --env=B=2 openmetadata/server:1.7 run -e notme\n"
    entries, errors = parse_env(text)
    assert [(e.name, e.line, e.column) for e in entries] == [("A", 0, 37), ("B", 1, 8)]
    assert errors == []
    entries, errors = parse_env('docker compose exec mysql mysql -u root -e "flush privileges;"\n')
    assert entries == [] and errors == []


def test_env_validator_checks_every_line_of_a_malformed_block(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text("a: ${AUTHENTICATION_PROVIDER:-basic}\nb: ${AUTHENTICATION_CLIENT_ID:-}\n")
    write_tree(
        tmp_path,
        {"docs/a.md": "```env\nAUTHENTICATION_PROVIDER=okta\nAUTHENTICATION_CLIENTID: x\nAUTHENTICATION_PROVIDR=y\n```\n"},
    )
    config = {
        "validators": {"env": {"type": "env", "template": "template.yaml"}},
        "rules": [{"language": "env", "validator": "env"}],
    }
    found = check_examples(tmp_path, config=config)
    assert placed(found) == [
        ("example-unparseable", "docs/a.md", 3, 24),  # the ':' where '=' belongs
        ("example-invalid", "docs/a.md", 4, 1),  # the line after it is still checked
    ]


# -- reader placeholders in ${VAR:-default} ---------------------------------------------------------


def test_placeholder_defaults_are_opaque_but_their_keys_are_checked(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "urls": {"type": "array", "items": {"type": "string", "format": "uri"}},
            "provider": {"enum": ["basic", "okta"]},
            "port": {"type": "integer"},
        },
        "additionalProperties": False,
    }
    (tmp_path / "s.json").write_text(json.dumps(schema))
    write_tree(
        tmp_path,
        {
            "docs/a.md": """
                ```yaml {% validate="s" %}
                urls: ${URLS:-[{your domain}/jwks]}
                provider: ${PROVIDER:-<your provider>}
                port: ${PORT:-YOUR_PORT}
                provder: ${PROVIDER:-your-provider}
                ```

                ```yaml {% validate="s" %}
                provider: ${PROVIDER:-no-auth}
                port: ${PORT:-[8585]}
                ```
                """,
        },
    )
    found = check_examples(tmp_path, config={"validators": {"s": {"type": "jsonschema", "schema": "s.json"}}})
    assert placed(found) == [
        ("example-invalid", "docs/a.md", 5, 1),  # the key holding a placeholder is still checked
        ("example-invalid", "docs/a.md", 9, 11),  # a real default is still a value
        ("example-invalid", "docs/a.md", 10, 1),  # a list where a number belongs, at its key
    ]
    assert "'provder' is not allowed" in found[0].message
    assert "'no-auth' is not one of" in found[1].message


# -- sniffing JSON in fences with no language (#19) ------------------------------------------------

NOT_JSON = {
    "log": "[2024-01-01 12:00:00] INFO Starting the ingestion workflow\n[2024-01-01 12:00:01] ERROR Could not connect\n",
    "log-json-payload": '[2024-01-01 12:00:00] INFO {"status": "ok"}\n',
    "log-level": "[INFO] Server started on port 8585\n[WARN] Using the default secret\n",
    "ini": "[database]\nhost = localhost\nport = 5432\n",
    "toml": '[tool.poetry]\nname = "metadata"\nversion = "1.0"\n\n[[tool.poetry.source]]\nurl = "https://x"\n',
    "markdown": "[the guide](https://example.com/guide) explains it.\n",
    "checkbox": "[x] done\n[ ] to do\n",
    "shell-prompt": '$ curl -X POST localhost:8585/api -d \'{"a": 1}\'\n',
    "dates": "[2024-01-01, 2024-02-01]\n",
    "numbers": "[1, 2, 3]\n",
}
REAL_JSON = {
    "object": '{\n  "name": "customers",\n  "columns": [{"name": "id", "dataType": "INT"}]\n}\n',
    "members": '"model.customers": {\n    "name": "customers",\n    "timestamp": <Unix timestamp>\n},\n',
    "elided": '{\n  "source": {\n    "type": "mysql",\n    ...\n  }\n}\n',
    "array": '[\n  {"op": "add", "path": "/tags/0", "value": null},\n  {"op": "remove", "path": "/owner"}\n]\n',
    "commented": '{\n  // the bot\'s token\n  "token": "{{ env(\'TOKEN\') }}",\n  "enabled": true\n}\n',
    "one-line": '{"code":403,"message":"Principal: CatalogPrincipal{name=\'bot\'} is not allowed"}\n',
}


@pytest.mark.parametrize("name", sorted(NOT_JSON))
def test_unlabelled_text_that_only_starts_like_json_is_left_alone(name: str) -> None:
    assert syntax_format("", NOT_JSON[name]) != "json"


@pytest.mark.parametrize("name", sorted(REAL_JSON))
def test_unlabelled_json_excerpts_are_still_read_as_json(name: str) -> None:
    assert syntax_format("", REAL_JSON[name]) == "json"


def test_check_reports_no_false_json_alarm_on_unlabelled_fences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Through ``om-markdoc check``: log output, INI and TOML in unlabelled fences give nothing;
    the broken JSON beside them (a missing comma) is still reported at its line."""
    fences = [NOT_JSON["log"], NOT_JSON["ini"], NOT_JSON["toml"], NOT_JSON["log-level"], *REAL_JSON.values(), '{"a": 1 "b": 2}\n']
    body = "# Output\n\n" + "".join(f"```\n{text}```\n\n" for text in fences)
    write_tree(tmp_path, {"docs/page.md": "", "mkdocs.yml": "site_name: t\nplugins:\n  - om-markdoc\n"})
    (tmp_path / "docs" / "page.md").write_text(body, encoding="utf-8")
    parser = argparse.ArgumentParser()
    check_cmd.register(parser)
    code = check_cmd.run(parser.parse_args([str(tmp_path), "--format", "json", "--no-cache", "--only", "example-*"]))
    findings = json.loads(capsys.readouterr().out)["findings"]
    broken_line = body.splitlines().index('{"a": 1 "b": 2}') + 1
    assert [(f["rule"], f["file"], f["line"]) for f in findings] == [("example-unparseable", "docs/page.md", broken_line)]
    assert code == 1
