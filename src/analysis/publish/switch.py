"""The switch: every staged file of a run, the issued folders and the record put in place as one step
that happens whole or is rolled back.

Each move is written in a journal first: a file already in place is linked (or, where links are not
possible, renamed) into the staging folder's `cu/` before the new one replaces it, and a new issued
folder is renamed in. When any step fails, the journal is played backwards: the new files go back
to the staging folder, the old ones back in place, the new folders out; the folder is then byte for
byte what it was, and the message says so. Only when the rollback itself fails (the disk gone) does
the message say that the folder is mixed and where the old files are kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

from analysis.errors import RenderError
from analysis.outputs import why
from analysis.terminal import visible

OLD_FOLDER = "cu"          # in the staging folder: the files the switch replaced, until it is done
KEEP_MARK = "giu-lai"      # in the staging folder: a rollback failed, the old files are kept there for the user
KEPT = "các báo cáo cũ giữ nguyên"
# what os.link answers where a file system has no hard links
NO_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EACCES}


class Journal:
    """The moves made so far, to play backwards."""

    def __init__(self, staging: Path):
        self.old = Path(staging) / OLD_FOLDER
        self.steps: list[tuple[str, Path, Path]] = []  # (kind, in place, elsewhere)

    def replace(self, source: Path, target: Path) -> None:
        """`source` becomes `target`; the file that was `target` is kept under the journal's folder."""
        if os.path.lexists(target):
            self.old.mkdir(exist_ok=True)
            backup = self.old / f"{len(self.steps)}-{target.name}"
            try:
                step(os.link, target, backup)
            except OSError as error:
                if error.errno not in NO_LINKS:
                    raise
                step(os.replace, target, backup)  # no links here (some file systems): the old file moves out first
                self.steps.append(("moved", target, backup))
            else:
                self.steps.append(("linked", target, backup))
        else:
            self.steps.append(("absent", target, target))
        step(os.replace, source, target)
        self.steps.append(("new", target, source))

    def rename_folder(self, source: Path, target: Path) -> None:
        """A new folder (an issued report) renamed in; never over one."""
        step(os.rename, source, target)
        self.steps.append(("folder", target, source))

    def roll_back(self) -> list[str]:
        """Undo every step, the last first; the names that could not be put back."""
        failed: list[str] = []
        for kind, place, other in reversed(self.steps):
            try:
                if kind == "new":
                    try:
                        os.replace(place, other)
                    except OSError:  # out of the way at least: the old file (if any) goes back next
                        os.unlink(place)
                elif kind in ("linked", "moved"):
                    os.replace(other, place)
                elif kind == "folder":
                    _writable(place)
                    os.rename(place, other)
            except OSError:
                failed.append(place.name)
        self.steps.clear()
        return failed


def step(move: Callable[[Path, Path], None], source: Path, target: Path) -> None:
    """One move of the switch (a test makes any one of them fail)."""
    move(source, target)


def _writable(folder: Path) -> None:
    """An issued folder's files are read-only (analysis.archive.issued); its folder must be writable to move."""
    with contextlib.suppress(OSError):
        folder.chmod(folder.stat().st_mode | 0o200)


def switch(out_dir: Path, moves: Callable[[Journal], None], staging: Path) -> None:
    """Run `moves` under a journal: all of them, or none (the folder as before) and a RenderError
    that says which."""
    journal = Journal(staging)
    try:
        moves(journal)
    except (OSError, RenderError) as error:
        reason = why(error) if isinstance(error, OSError) else str(error)
        failed = journal.roll_back()
        if failed:
            with contextlib.suppress(OSError):
                (Path(staging) / KEEP_MARK).write_text("\n".join(failed) + "\n", encoding="utf-8")
            raise RenderError(f"không đưa được các báo cáo mới vào “{visible(str(out_dir))}”: {reason}; không trả lại "
                              f"được {len(failed)} tệp cũ ({visible(', '.join(failed[:5]))}): thư mục đang lẫn bản "
                              f"cũ và mới, các tệp cũ còn trong “{visible(str(journal.old))}”") from None
        raise RenderError(f"không đưa được các báo cáo mới vào “{visible(str(out_dir))}”: {reason}; đã trả lại "
                          f"như trước, {KEPT}") from None
