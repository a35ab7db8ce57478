"""Which format an example is written in, from its language and, failing that, its content.

Used for examples no rule binds, so that every YAML, JSON and ``.env`` example of a tree is
parsed without any configuration. A fence's language decides when it names a format (``yaml``,
``json``, ``env``, a shell) or another language (``python``, ``sql``...); a tab id
(``implicit``, ``authcode``), a missing language or an unknown one leaves it to the content:

* ``json``: an object or array (``{"key": ...``, ``[{...``), or members of one (``"key": ...``);
  with no language to go by, only when the whole text is made of JSON tokens (strings,
  numbers, ``true``/``false``/``null``, brackets, ``:`` and ``,``), its brackets balance and at
  least one string is in it: a log line (``[2024-01-01 12:00:00] INFO ...``), an INI section,
  a TOML table or a Markdown link starts like an array and is not JSON;
* ``env``: every line a ``NAME=value`` / ``export NAME=value`` assignment, a comment, or a line
  that is meant as one (``NAME: value``, ``NAME = value``), with at least one real assignment;
* ``yaml``: a mapping or a sequence (``key: value`` / ``- item`` lines), where nearly every line
  is a key, an item, a comment or the continuation of one.

Content that is none of these (a shell script, prose, a tree drawing, pseudo-config) gives
``None``: nothing checks it, so nothing reports it. A fence labelled ``yaml`` or ``json`` whose
content is clearly something else (Python in a ``json`` fence) is left alone as well.
"""

from __future__ import annotations

import re

from .envfile import looks_like_env
from .reader import for_json, for_yaml

YAML_LANGUAGES = frozenset({"yaml", "yml"})
JSON_LANGUAGES = frozenset({"json", "jsonc", "json5"})
ENV_LANGUAGES = frozenset({"env", "dotenv", ".env"})
SHELL_LANGUAGES = frozenset({"bash", "sh", "shell", "zsh", "ksh", "console", "shell-session"})
# Languages that name something other than YAML, JSON or env lines: never guessed from content.
OTHER_LANGUAGES = frozenset(
    ["python", "py", "python3", "pycon", "ipython", "sql", "mysql", "postgresql", "psql", "plsql", "tsql", "java", "kotlin", "scala", "groovy", "go", "golang", "js", "javascript", "jsx", "ts", "typescript", "tsx", "node", "html", "xml", "svg", "css", "scss", "less", "graphql", "gql", "dockerfile", "docker", "makefile", "make", "c", "cpp", "c++", "cs", "csharp", "rust", "rs", "ruby", "rb", "php", "perl", "r", "swift", "lua", "haskell", "elixir", "erlang", "clojure", "dart", "julia", "ini", "toml", "properties", "cfg", "conf", "config", "hcl", "terraform", "tf", "nginx", "apache", "csv", "tsv", "md", "markdown", "mdx", "rst", "tex", "powershell", "ps1", "ps", "bat", "cmd", "batch", "diff", "patch", "mermaid", "jinja", "jinja2", "j2", "twig", "http", "regex", "protobuf", "proto", "avro", "thrift", "text", "txt", "plaintext", "plain", "output", "log", "none"]
)

# (every repetition below is separated by a character the next part cannot start with, so a
# line is matched in linear time, however long and odd)
_KEY_LINE = re.compile(
    r"""^[ \t]*(?:-[ \t]+)*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s:#()=,'"\[\]{}|>!&*%@`<-][^\s:#()=\[\]]*(?: +[^\s:#()=\[\]]+)*|\{[^{}:]*\}|<[^<>:]*>)[ \t]*:(?:[ \t]|$)"""
)
# content with no language: a key is a single word, and its value holds no further ": " (log
# lines and prose such as "Error: INSTALLATION FAILED: ..." read as keys otherwise)
_STRICT_KEY_LINE = re.compile(
    r"""^[ \t]*(?:-[ \t]+)*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z_$<{][\w.$/<>{}-]*)[ \t]*:(?:[ \t]+(?P<value>.*))?$"""
)
_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*(?:"|$)|'[^']*(?:'|$)""")
_ITEM_LINE = re.compile(r"^[ \t]*-(?:[ \t]|$)")
_DOC_MARK = re.compile(r"^(?:---|\.\.\.)(?:[ \t]|$)")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?$")
# one JSON lexeme: blanks, a (terminated) string, a number, a literal, a punctuation mark
_JSON_LEXEME = re.compile(r'\s+|"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true\b|false\b|null\b|[{}\[\]:,]')
_COMMENT_LINE = re.compile(r"^[ \t]*(?://|#).*$", re.MULTILINE)
_JSON_START = re.compile(r'^\s*(?:\{\s*(?:"|\}|$)|\[\s*(?:[\[{"\d\]-]|true|false|null|$)|"(?:[^"\\\n]|\\.)*"\s*:)')


def _key_line(line: str, strict: bool) -> bool:
    if not strict:
        return bool(_KEY_LINE.match(line))
    match = _STRICT_KEY_LINE.match(line)
    if match is None:
        return False
    value = _QUOTED.sub("", (match.group("value") or "").split(" #")[0])
    return ": " not in value and not value.rstrip().endswith(":")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def looks_like_yaml(text: str, *, strict: bool = True) -> bool:
    """Whether ``text`` reads as a YAML mapping or sequence.

    Nearly every line must be a key, an item, a comment, a document marker, or be indented under
    the line before (a continued value, a block scalar). ``strict`` (content with no language to
    go by) also wants the first line to be a key or an item and no tabs in the indentation.
    """
    lines = [line for line in for_yaml(text).text.split("\n") if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return False
    first = lines[0]
    if strict and not (_key_line(first, strict) or _ITEM_LINE.match(first) or _DOC_MARK.match(first)):
        return False
    structural = foreign = 0
    anchor = -1  # indentation of the last key or item line
    block = -1  # indentation of the key introducing a block scalar (|, >)
    for line in lines:
        indent = _indent(line)
        if block >= 0:
            if indent > block:
                continue
            block = -1
        if _key_line(line, strict) or _ITEM_LINE.match(line) or _DOC_MARK.match(line):
            structural += 1
            anchor = indent
            if _BLOCK_SCALAR.search(line):
                block = indent
        elif anchor >= 0 and indent > anchor:
            continue  # a value continued on the next line
        else:
            foreign += 1
    if not structural:
        return False
    return foreign * 10 <= len(lines) if strict else foreign * 4 <= len(lines)


def looks_like_json(text: str) -> bool:
    """Whether ``text`` reads as a JSON value or members of an object (elisions aside)."""
    return bool(_JSON_START.match(for_json(text).text))


def surely_json(text: str) -> bool:
    """``looks_like_json``, and JSON throughout: what content with no language must be before
    it is parsed as JSON (a fence labelled ``json`` needs only to start like JSON).

    Every token outside strings is a JSON one, brackets balance and match, and a string or an
    object occurs (``[1, 2]`` is as much YAML; ``[section]`` is INI). Comment lines (``//``,
    ``#``) and elisions are left out, placeholders read as values (``for_json``)."""
    body = _COMMENT_LINE.sub("", for_json(text).text)
    if not _JSON_START.match(body):
        return False
    closing = {"}": "{", "]": "["}
    stack: list[str] = []
    strings = position = 0
    while position < len(body):
        token = _JSON_LEXEME.match(body, position)
        if token is None:
            return False
        lexeme = token.group(0)
        position = token.end()
        if lexeme in "{[":
            stack.append(lexeme)
        elif lexeme in closing and (not stack or stack.pop() != closing[lexeme]):
            return False
        strings += lexeme.startswith('"') or lexeme == "{"
    return not stack and strings > 0


def syntax_format(language: str, text: str) -> str | None:
    """``yaml``, ``json``, ``env`` or ``None`` (not a config example; see the module docstring)."""
    lang = language.strip().lower()
    if lang in OTHER_LANGUAGES or not text.strip():
        return None
    if lang in YAML_LANGUAGES or lang.endswith((".yaml", ".yml")):
        if looks_like_json(text) and not looks_like_yaml(text, strict=False):
            return "yaml"  # flow style: YAML parses it
        return "yaml" if looks_like_yaml(text, strict=False) else None
    if lang in JSON_LANGUAGES or lang.endswith(".json"):
        return "json" if looks_like_json(text) else None
    if lang in ENV_LANGUAGES or lang.endswith(".env"):
        return "env"
    if lang in SHELL_LANGUAGES:
        return "env"  # assignment-only blocks are .env files; scripts have their export lines read
    if surely_json(text):
        return "json"
    if looks_like_env(text, uppercase=True):
        return "env"
    if looks_like_yaml(text):
        return "yaml"
    return None
