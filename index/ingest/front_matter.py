"""A Markdown file's front matter (Jekyll, Hugo, Obsidian, a static site's posts): YAML
between two `---` lines, or TOML between two `+++` lines, opening the file. It declares the
post's title, date and author, read as a record's fields are; it is not text to search.
A block that does not read as a table of fields is no front matter: a rule and the text
below it stay."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from index.ingest.article_records import declared_fields

_YAML = re.compile(r"\A\ufeff?---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# libyaml's safe loader when PyYAML has it: fast, and it stops at a nesting depth, where the
# pure-Python one takes seconds on a block of brackets nested some thousands deep.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LONGEST = 64 * 1024  # characters of front matter; a longer block is the post itself
_FENCES = 16  # the opening and closing lines around it
_TOML = re.compile(r"\A\ufeff?\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.S)


def front_matter(text: str) -> tuple[int, dict[str, str]]:
    """Where the front matter ends (0 when there is none) and the fields it declares."""
    for pattern, parse in ((_YAML, _yaml_table), (_TOML, _toml_table)):
        match = pattern.match(text[: _LONGEST + _FENCES])
        if match and isinstance(table := parse(match[1] or ""), dict):
            return match.end(), declared_fields(table)
    return 0, {}


def _yaml_table(block: str) -> Any:
    """The block's table; None for one that does not parse, or that repeats a value by an
    alias: nine aliases of nine aliases ("billion laughs") make a value no reader can
    finish, which a hostile file could use to stop a whole run."""
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(block, _LOADER)):
            return None
        return yaml.load(block, _LOADER)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, RecursionError):  # or nested past the parser's depth
        return None


def _toml_table(block: str) -> Any:
    try:
        return tomllib.loads(block)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
