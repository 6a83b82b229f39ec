"""YAML as sandyq reads it: plain data only, bounded in size and depth, with no repeated keys.

Every YAML file sandyq reads (the framework, manifests, Open SDG metadata and
translations) goes through :func:`read_yaml`, which refuses what a careless or
hostile file could use to lose data or exhaust the machine, naming the file
and line:

* a file larger than :data:`MAX_YAML_BYTES` (checked before it is read);
* anchors and aliases (``&a`` / ``*a``): a few hundred bytes of nested aliases
  expand to gigabytes (the "billion laughs"), and no file sandyq reads needs them;
* nesting deeper than :data:`MAX_YAML_DEPTH` (the parser recurses, so a file of
  ``[[[[…`` would otherwise end in a RecursionError);
* a key repeated in one mapping: the YAML library silently keeps the last one,
  so an edited value could vanish unnoticed;
* anything but plain data (the safe loader constructs no Python objects).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node

from ..errors import Problem

__all__ = ["MAX_YAML_BYTES", "MAX_YAML_DEPTH", "parse_yaml", "read_yaml"]

#: The largest YAML file sandyq reads, in bytes (8 MiB; the bundled framework's largest file is about 80 KB).
MAX_YAML_BYTES = 8 * 1024 * 1024
#: The deepest nesting of mappings and lists a YAML file may have.
MAX_YAML_DEPTH = 64


class _Refused(yaml.YAMLError):
    """A YAML construct sandyq refuses, with the line it starts on."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.problem = message
        self.problem_mark = mark


class _Loader(yaml.SafeLoader):
    """The safe loader without anchors, aliases, repeated keys or deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(f"alias *{event.anchor} is not allowed (sandyq reads YAML without them)", event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(f"anchor &{anchor} is not allowed (sandyq reads YAML without anchors)", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _Refused(f"nested more than {MAX_YAML_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: the base class names it
                break
            line = key_node.start_mark.line + 1
            if first is not None:
                message = f"key {key!r} appears twice in one mapping (lines {first} and {line})"
                raise _Refused(message, key_node.start_mark)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        """A date or date-time; one that is not on the calendar (``2021-02-30``) is a problem on its line."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _Refused(f"{node.value!r} is not a date ({exc})", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _problem(file: str, exc: yaml.YAMLError, line_offset: int) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    row = mark.line + 1 + line_offset if mark is not None else None
    what = getattr(exc, "problem", None) or str(exc)
    prefix = "refused YAML" if isinstance(exc, _Refused) else "invalid YAML"
    return Problem(file, f"{prefix}: {what}", row=row)


def parse_yaml(text: str, file: str, problems: list[Problem], *, line_offset: int = 0) -> Any:
    """The data of the YAML ``text`` read from ``file``, or None with a problem naming the line appended.

    ``line_offset`` is the line of ``file`` the text starts after (front matter).

    >>> problems = []
    >>> parse_yaml("a: 1\\nb: [x, y]\\n", "f.yaml", problems), problems
    ({'a': 1, 'b': ['x', 'y']}, [])
    >>> parse_yaml("a: 1\\na: 2\\n", "f.yaml", problems) is None, str(problems[0])
    (True, "f.yaml, row 2: refused YAML: key 'a' appears twice in one mapping (lines 1 and 2)")
    """
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except (ComposerError, ConstructorError, yaml.YAMLError) as exc:
        problems.append(_problem(file, exc, line_offset))
        return None
    except RecursionError:  # deep flow collections recurse in the scanner before the depth check sees them
        problems.append(Problem(file, f"refused YAML: nested more than {MAX_YAML_DEPTH} levels deep"))
        return None
    finally:
        loader.dispose()


def read_yaml(path: Path, problems: list[Problem], *, front_matter: bool = False) -> Any:
    """The data of the YAML file ``path``, or None with a problem naming file and line appended.

    With ``front_matter`` the file is Markdown whose YAML lies between the first
    two ``---`` lines (older Open SDG metadata); a file without it is empty.
    """
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            problems.append(Problem(file, f"refused: {size} bytes; a YAML file may have at most {MAX_YAML_BYTES}"))
            return None
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(file, f"not UTF-8 text (byte {exc.start})"))
        return None
    except OSError as exc:
        problems.append(Problem(file, f"cannot read: {exc.strerror or exc}"))
        return None
    offset = 0
    if front_matter:
        parts = text.split("---")
        if len(parts) < 3:
            return None
        offset = parts[0].count("\n")
        text = parts[1]
    return parse_yaml(text.lstrip("\ufeff"), file, problems, line_offset=offset)
