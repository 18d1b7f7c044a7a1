"""The one YAML loader of the package: safe, bounded, and with errors that point at a line.

Every YAML file the package reads (data/reference/*.yaml, a `-f` parameters file, mail.yaml)
goes through `load_yaml_file`: only a regular file, at most `MAX_BYTES`, UTF-8, at most
`MAX_ALIASES` alias references (a "billion laughs" file is refused before it expands), dates
that do not exist kept as text (the schema then says what is wrong) instead of a ValueError.
For a file that may hold secrets (`secret=True`), a message names the line and column only:
never a value, never a line of the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from analysis.errors import UsageError
from analysis.terminal import visible
from analysis.outputs import why

MAX_BYTES = 64 << 10  # 64 KiB: the largest reference file is 3 KB; pure-Python YAML reads ~100 KB/s
MAX_ALIASES = 100
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


def read_regular_file(path: Path, *, what: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file (not a directory, FIFO or device), at most `max_bytes`."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise UsageError(f"không tìm thấy {what} “{visible(str(path))}”") from None
    except IsADirectoryError:
        raise UsageError(f"{what} “{visible(str(path))}” là một thư mục, không phải tệp") from None
    except OSError as error:
        raise UsageError(f"không đọc được {what} “{visible(str(path))}” ({why(error)})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{what} “{visible(str(path))}” là một thư mục, không phải tệp")
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"{what} “{visible(str(path))}” không phải tệp thông thường (ống, thiết bị…)")
        if info.st_size > max_bytes:
            raise UsageError(f"{what} “{visible(str(path))}” quá lớn ({info.st_size} byte; tối đa {max_bytes})")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise UsageError(f"{what} “{visible(str(path))}” quá lớn (tối đa {max_bytes} byte)")
        return data
    except OSError as error:
        raise UsageError(f"không đọc được {what} “{visible(str(path))}” ({why(error)})") from None
    finally:
        os.close(fd)


def read_text_file(path: Path, *, what: str, max_bytes: int = MAX_BYTES) -> str:
    """A regular UTF-8 text file (see `read_regular_file`); a located message when it is not UTF-8."""
    data = read_regular_file(path, what=what, max_bytes=max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UsageError(f"{what} “{visible(str(path))}” không phải văn bản UTF-8 (dòng {line}): "
                         "lưu lại tệp với bảng mã UTF-8") from None


def load_yaml_text(text: str, *, where: str, secret: bool = False) -> tuple[object, dict[str, int]]:
    """(data, {top-level key: line}) of a YAML text; a UsageError naming `where` and the line."""
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


def load_yaml_file(path: Path, *, what: str = "tệp YAML", secret: bool = False,
                   max_bytes: int = MAX_BYTES) -> tuple[object, dict[str, int]]:
    """(data, {top-level key: line}) of a YAML file, read with every limit above."""
    text = read_text_file(path, what=what, max_bytes=max_bytes)
    return load_yaml_text(text, where=f"{what} “{visible(str(path))}”", secret=secret)

