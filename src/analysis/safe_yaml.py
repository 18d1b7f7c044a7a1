"""The one YAML loader of the package: safe, bounded, and with errors that point at a line.

Every YAML file the package reads (data/reference/*.yaml, a `-f` parameters file, mail.yaml)
goes through `load_yaml_file`: only a regular file, at most `MAX_BYTES`, UTF-8, at most
`MAX_ALIASES` alias references (a "billion laughs" file is refused before it expands), dates
that do not exist kept as text (the schema then says what is wrong) instead of a ValueError.
For a file that may hold secrets (`secret=True`), a message names the line and column only:
never a value, never a line of the file.

A text parsed once is not parsed again in the same process: every report of a batch reads the
same reference files, and PyYAML's pure-Python parser took a tenth of a unit's report. Each
caller gets its own deep copy. A secret file is never kept.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from pathlib import Path

import yaml

from analysis.errors import UsageError
from analysis.safe_files import MAX_BYTES, read_text_file
from analysis.terminal import visible

MAX_ALIASES = 100
KEPT_TEXTS = 64  # texts whose parse is kept (the reference files and a parameters file or two)
_PARSED: OrderedDict[str, tuple[object, dict[str, int]]] = OrderedDict()
MAX_NODES = 20_000  # values once every alias is expanded: a "billion laughs" file stops here


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts alias references; the count bounds the expanded size."""

    def __init__(self, stream):
        super().__init__(stream)
        self.aliases = 0
        self.weights: dict[int, int] = {}  # id(node) -> values under it, aliases expanded
        self.total = 0
        self.key_lines: dict[str, int] = {}

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise yaml.composer.ComposerError(None, None, f"quá {MAX_ALIASES} tham chiếu (alias *)",
                                                  self.peek_event().start_mark)
            node = super().compose_node(parent, index)
            self._count(self.weights.get(id(node), 1), node)
            return node
        self._count(1, None)
        node = super().compose_node(parent, index)
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            return node
        self.weights[id(node)] = 1 + sum(self.weights.get(id(child), 1) for child in children)
        return node

    def _count(self, weight: int, node) -> None:
        """Values of the document so far, each alias counted as the values it expands to."""
        self.total += weight
        if self.total > MAX_NODES:
            mark = node.start_mark if node is not None else self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, f"quá {MAX_NODES} giá trị (kể cả khi mở các tham chiếu *)",
                                              mark)


def _timestamp(loader: _BoundedLoader, node):
    """A date as YAML writes it; a date that does not exist (2023-13-45) stays text."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_yaml_text(text: str, *, where: str, secret: bool = False) -> tuple[object, dict[str, int]]:
    """(data, {top-level key: line}) of a YAML text; a UsageError naming `where` and the line."""
    if not secret and (kept := _PARSED.get(text)) is not None:
        _PARSED.move_to_end(text)
        return copy.deepcopy(kept)
    parsed = _parse(text, where=where, secret=secret)
    if not secret:
        _PARSED[text] = copy.deepcopy(parsed)
        while len(_PARSED) > KEPT_TEXTS:
            _PARSED.popitem(last=False)
    return parsed


def _parse(text: str, *, where: str, secret: bool) -> tuple[object, dict[str, int]]:
    loader = None
    try:
        loader = _BoundedLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        if node is not None and isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    loader.key_lines[str(key_node.value)] = key_node.start_mark.line + 1
        return data, loader.key_lines
    except yaml.reader.ReaderError as error:
        line = text[: max(0, error.position)].count("\n") + 1
        raise UsageError(f"{where} có ký tự điều khiển U+{error.character:04X} ở dòng {line}: YAML không cho phép; "
                         "xóa ký tự đó") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark is not None else ""
        if secret:  # the problem text may quote a token of the file: say where, not what
            raise UsageError(f"{where} sai cú pháp YAML{place} (kiểm tra dấu nháy, dấu hai chấm, thụt lề)") from None
        problem = getattr(error, "problem", None) or ""
        raise UsageError(f"{where} sai cú pháp YAML{place}" + (f": {visible(problem)}" if problem else "")) from None
    except (ValueError, TypeError, RecursionError, OverflowError):
        raise UsageError(f"{where} có giá trị YAML không đọc được") from None
    finally:
        if loader is not None:
            loader.dispose()


def load_yaml_file(path: Path, *, what: str = "tệp YAML", secret: bool = False, max_bytes: int = MAX_BYTES,
                   within: Path | None = None) -> tuple[object, dict[str, int]]:
    """(data, {top-level key: line}) of a YAML file, read with every limit above (analysis.safe_files;
    `within`: a symbolic link may not lead out of that folder)."""
    text = read_text_file(path, what=what, max_bytes=max_bytes, within=within)
    return load_yaml_text(text, where=f"{what} “{visible(str(path))}”", secret=secret)

