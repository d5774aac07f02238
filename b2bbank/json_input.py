"""One strict JSON reader for everything clients send: API bodies (the DRF
parser below) and websocket frames. It refuses what Python's json module
accepts but a bank must not: a key given twice (the last one would silently
win: `{"amount": "5000.00", "amount": "900000.00"}`), nesting deep enough to
exhaust the interpreter's stack (a 500, even anonymously), and the non-JSON
constants NaN and Infinity."""

from __future__ import annotations

import codecs
import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Far deeper than any request of the API needs (its deepest is 3), far below the stack.
MAX_DEPTH = 32


class InvalidJson(ValueError):
    """The text is not JSON this app accepts; the message says why, in plain words."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidJson(f"The key {key[:40]!r} appears more than once.")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise InvalidJson(f"{name} is not a JSON value.")


def _depth(value: Any) -> int:
    """How deeply containers nest (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        level += 1
        if level > MAX_DEPTH:
            return level
        deepest = max(deepest, level)
        stack.extend((child, level) for child in item)
    return deepest


def strict_loads(text: str | bytes) -> Any:
    """Parse JSON or raise InvalidJson."""
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except RecursionError as exc:
        raise InvalidJson(f"JSON may nest at most {MAX_DEPTH} levels deep.") from exc
    except InvalidJson:
        raise
    except ValueError as exc:
        raise InvalidJson(f"Not valid JSON: {exc}") from exc
    if _depth(value) > MAX_DEPTH:
        raise InvalidJson(f"JSON may nest at most {MAX_DEPTH} levels deep.")
    return value


class StrictJSONParser(JSONParser):
    """DRF's JSON parser with strict_loads: duplicate keys, deep nesting and
    NaN are a 400 with the reason, never a 500 or a silent last-one-wins."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            return strict_loads(codecs.getreader(encoding)(stream).read())
        except (InvalidJson, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
