"""Small guides where valid examples pass and each kind of defect is reported at its doc line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from om_markdoc.examples import check_examples
from om_markdoc.examples.envfile import parse_env, resolve_template, template_variables
from om_markdoc.examples.runner import ExampleSession
from om_markdoc.examples.yamlmap import load_documents
from om_markdoc.site.project import Project

from .trees import placed, write_tree

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO.parent / "shared" / "schemas" / "openmetadata-1.7"


@pytest.fixture(scope="module")
def schemas() -> Path:
    if not (SCHEMAS / "json-schema").is_dir():
        pytest.fail(f"the OpenMetadata 1.7 schemas are missing: expected them in {SCHEMAS}")
    return SCHEMAS


def _config(schemas: Path, **extra: object) -> dict:
    return {
        "schemas_root": str(schemas),
        "validators": {
            "server": {
                "type": "jsonschema",
                "properties": {
                    "authenticationConfiguration": "json-schema/authenticationConfiguration.schema.json",
                    "authorizerConfiguration": "json-schema/authorizerConfiguration.schema.json",
                },
                "defaults": "server/openmetadata.yaml",
            },
            "env": {"type": "env", "template": "server/openmetadata.yaml"},
            "helm": {"type": "helm-values", "chart": "helm-chart-1.7.7"},
            **extra,
        },
        "rules": [
            {"language": ["implicit", "authcode"], "contains": "^[A-Z_]+=", "validator": "env"},
            {"contains": "^authenticationConfiguration:", "validator": "server"},
        ],
    }


GOOD_SERVER = """
    authenticationConfiguration:
      provider: "auth0"
      publicKeyUrls:
        - "https://tenant.auth0.com/.well-known/jwks.json"
      authority: "https://tenant.auth0.com"
      clientId: "id"
      callbackUrl: "http://localhost:8585/callback"
"""


@pytest.mark.corpus
def test_valid_examples_pass(tmp_path: Path, schemas: Path) -> None:
    body = textwrap.indent(textwrap.dedent(GOOD_SERVER).strip("\n"), "")
    root = write_tree(
        tmp_path,
        {
            "docs/ok.md": "# OK\n\n```yaml\n" + body + "\n```\n\n"
            "```bash {% validate=\"env\" %}\nAUTHENTICATION_PROVIDER=auth0\nexport AUTHENTICATION_CLIENT_ID=id\n```\n\n"
            "```json\n{\"a\": [1, 2]}\n```\n\n"
            "```yaml {% validate=\"helm\" %}\nopenmetadata:\n  config:\n    authentication:\n      provider: auth0\n```\n",
        },
    )
    assert check_examples(root, config=_config(schemas)) == []


@pytest.mark.corpus
def test_each_defect_at_its_doc_line(tmp_path: Path, schemas: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "docs/bad.md": """
                ---
                title: Bad
                ---
                # Bad

                ```yaml
                a: [1, 2
                b: 3
                ```

                ```json
                {"a": 1,}
                ```

                ```yaml
                authenticationConfiguration:
                  provider: "auth0"
                  clientType: "secret"
                  oidcConfiguration:
                    id: "x"
                    secrte: "y"
                ```

                {% codeWithLanguageSelector title="t" id="c" languagesArray=["implicit","authcode"] %}

                ```implicit
                AUTHENTICATION_PROVIDER=auth0
                AUTHENTICATION_PROVIDR=auth0
                ```

                {% /codeWithLanguageSelector %}

                ```yaml {% validate="helm" %}
                openmetadata:
                  authentication:
                    provider: auth0
                ```

                ```shell {% validate="env" %}
                docker run -e AUTHENTICATION_PROVIDER=auth0 \\
                  -e OIDC_CLIENT_SECRETT=x openmetadata/server
                ```
                """,
        },
    )
    found = check_examples(root, config=_config(schemas))
    assert placed(found) == [
        ("example-unparseable", "docs/bad.md", 8, 2),  # the unclosed flow sequence, where the parser stops
        ("example-unparseable", "docs/bad.md", 12, 9),  # JSON's trailing comma
        ("example-invalid", "docs/bad.md", 18, 15),  # enum violation, at the value
        ("example-invalid", "docs/bad.md", 21, 5),  # unknown key inside oidcConfiguration
        ("example-invalid", "docs/bad.md", 28, 1),  # unknown env var in a tab
        ("example-invalid", "docs/bad.md", 35, 3),  # misplaced Helm key
        ("example-invalid", "docs/bad.md", 41, 6),  # unknown env var of docker run -e
    ]
    by_line = {d.line: d.message for d in found}
    assert "$.authenticationConfiguration.clientType" in by_line[18]
    assert "did you mean 'secret'" in by_line[21] and "$.authenticationConfiguration.oidcConfiguration.secrte" in by_line[21]
    assert "did you mean AUTHENTICATION_PROVIDER?" in by_line[28]
    assert "belongs under $.openmetadata.config" in by_line[35]
    assert "OIDC_CLIENT_SECRET" in by_line[41]


@pytest.mark.corpus
def test_partial_variables_are_expanded_and_mapped_back(tmp_path: Path, schemas: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "mkdocs.yml": "docs_dir: docs\nplugins:\n  - om-markdoc:\n      partials_dir: snippets\n",
            "snippets/v1/auth.md": """
                Set the provider:

                ```yaml {% validate="server" %}
                authenticationConfiguration:
                  provider: {% $provider %}
                ```
                """,
            "docs/a.md": """
                # A

                {% partial file="/v1/auth.md" variables={provider: "okta"} /%}
                {% partial file="/v1/auth.md" variables={provider: "octa"} /%}
                """,
        },
    )
    found = check_examples(root, config=_config(schemas))
    assert len(found) == 1
    (problem,) = found
    assert (problem.file, problem.line, problem.column) == ("snippets/v1/auth.md", 5, 13)
    assert problem.chain == (("docs/a.md", 4),)
    assert "'octa' is not one of" in problem.message


@pytest.mark.corpus
def test_expectations_skip_and_binding_sources(tmp_path: Path, schemas: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "docs/a.md": """
                ---
                examples:
                  validator: server
                ---
                ```yaml {% expect="invalid" %}
                authenticationConfiguration:
                  clientSecret: "x"
                ```

                ```yaml {% expect="invalid" %}
                authenticationConfiguration:
                  provider: "auth0"
                ```

                ```yaml {% validate="nope" %}
                a: 1
                ```

                ```yaml {% skip=true %}
                authenticationConfiguration: [
                ```
                """,
        },
    )
    found = check_examples(root, config=_config(schemas))
    assert placed(found) == [
        ("example-expected-invalid", "docs/a.md", 10, 1),
        ("example-config", "docs/a.md", 15, 1),
    ]
    assert "no validator named 'nope'" in found[1].message


def test_custom_validator_and_om_markdoc_yml(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "om-markdoc.yml": """
                examples:
                  validators:
                    upper: {type: "tests.examples.test_validators:no_lowercase", what: keys}
                  rules:
                    - {language: ini, validator: upper}
                """,
            "content/v1.0.x/page.md": "# P\n\n```ini\nA=1\nb=2\n```\n",
            "content/partials/v1.0/x.md": "x\n",
        },
    )
    found = check_examples(tmp_path)
    assert placed(found) == [("example-invalid", "content/v1.0.x/page.md", 5, 1)]
    assert found[0].message.startswith("lowercase keys: b")


def no_lowercase(example, options):  # a custom validator, loaded as module:function
    assert options["what"] == "keys"
    return [
        {"message": f"lowercase keys: {line.split('=')[0]}", "line": number}
        for number, line in enumerate(example.text.splitlines(), 1)
        if line[:1].islower()
    ]


@pytest.mark.corpus
def test_cross_file_refs_draft7_and_2020_12(tmp_path: Path, schemas: Path) -> None:
    config = {
        "validators": {
            "spec": {
                "type": "jsonschema",
                "schema": str(schemas / "spec-files" / "configuration" / "authenticationConfiguration.json"),
                "schemas": str(schemas / "spec-files"),
                "pointer": "",
            }
        }
    }
    write_tree(
        tmp_path,
        {
            "docs/a.md": """
                ```yaml {% validate="spec" %}
                provider: "auth0"
                providerName: ""
                publicKeyUrls: []
                authority: "https://a"
                clientId: "c"
                callbackUrl: "http://cb"
                jwtPrincipalClaims: ["email"]
                oidcConfiguration:
                  id: "c"
                  secret: "s"
                  discoveryUri: "https://a/.well-known/openid-configuration"
                  tenant: "t"
                  tokenValidity: 0
                ```
                """,
        },
    )
    found = check_examples(tmp_path, config=config)
    # the oidcConfiguration $ref (a 2020-12 schema in another folder) was followed
    assert placed(found) == [("example-invalid", "docs/a.md", 14, 18)]
    assert "$.oidcConfiguration.tokenValidity" in found[0].message


@pytest.mark.corpus
def test_pointer_places_the_example(tmp_path: Path, schemas: Path) -> None:
    config = {
        "validators": {
            "auth": {
                "type": "jsonschema",
                "properties": {
                    "authenticationConfiguration": str(schemas / "json-schema" / "authenticationConfiguration.schema.json")
                },
                "pointer": "/authenticationConfiguration",
            }
        }
    }
    write_tree(tmp_path, {"docs/a.md": '```yaml {% validate="auth" %}\nprovider: "auth0"\n```\n'})
    found = check_examples(tmp_path, config=config)
    assert {d.line for d in found} == {2}
    assert any("'providerName' is a required property" in d.message for d in found)


@pytest.mark.corpus
def test_session_outcomes(tmp_path: Path, schemas: Path) -> None:
    write_tree(tmp_path, {"docs/a.md": "```yaml\n" + textwrap.dedent(GOOD_SERVER).strip() + "\n```\n\n```text\nfree\n```\n"})
    session = ExampleSession(Project.around(tmp_path), config=_config(schemas))
    outcomes = session.run_all()
    assert [(o.status, o.binding.validator, o.binding.origin) for o in outcomes] == [
        ("passed", "server", "rule 2"),
        ("unchecked", None, "none"),
    ]


def test_env_parsing_and_templates() -> None:
    entries, errors = parse_env('# c\nA=1\nexport B="two words"  # note\nC=\'x\n')
    assert [(e.name, e.value, e.line, e.column) for e in entries] == [
        ("A", "1", 1, 0),
        ("B", "two words", 2, 7),
        ("C", "x", 3, 0),
    ]
    assert [(e.line, e.message) for e in errors] == [(3, "unterminated ' quote")]
    shell, problems = parse_env("cd /opt\nexport X=1\n./run.sh\n")
    assert [e.name for e in shell] == ["X"] and problems == []
    docker, _ = parse_env("docker run -e A=1 --env 'B=2' --env-file f image\n")
    assert [(e.name, e.column) for e in docker] == [("A", 14), ("B", 25)]
    template = "a: ${A:-1}\nb: ${B}\nc: ${C:-[x, y]}\n"
    assert template_variables(template) == {"A": "1", "B": None, "C": "[x, y]"}
    assert resolve_template(template) == "a: 1\nb: \nc: [x, y]\n"


def test_yaml_key_map() -> None:
    (doc,) = load_documents("a:\n  b:\n    - x\n    - c: 1\n")
    assert doc.data == {"a": {"b": ["x", {"c": 1}]}}
    assert doc.keys.mark(("a", "b", 1, "c")).line == 3  # type: ignore[union-attr]
    assert doc.keys.nearest(("a", "b", 1, "zz"))[0] == ("a", "b", 1)


def test_missing_schema_is_a_config_finding(tmp_path: Path) -> None:
    write_tree(tmp_path, {"docs/a.md": '```yaml {% validate="s" %}\na: 1\n```\n'})
    found = check_examples(tmp_path, config={"validators": {"s": {"type": "jsonschema", "schema": "nowhere.json"}}})
    assert placed(found) == [("example-config", "docs/a.md", 1, 1)]
    assert "does not exist" in found[0].message


def test_schema_file_json_is_loaded_once(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(json.dumps({"type": "object", "properties": {"n": {"type": "integer"}}}))
    write_tree(tmp_path, {"docs/a.md": '```json {% validate="s" %}\n{"n": "1"}\n```\n'})
    found = check_examples(tmp_path, config={"validators": {"s": {"type": "jsonschema", "schema": "s.json"}}})
    assert placed(found) == [("example-invalid", "docs/a.md", 2, 7)]
