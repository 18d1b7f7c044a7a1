"""Exceptions that carry a Vietnamese message for the analyst and the exit code to use.

The command line turns them into a message on stderr and an exit code, never a traceback.
"""

from __future__ import annotations


class AnalysisError(Exception):
    """Base class: `str(error)` is the Vietnamese message shown to the analyst."""

    exit_code = 1


class UsageError(AnalysisError):
    """A bad path, option or parameter (exit 2)."""

    exit_code = 2


class DataError(AnalysisError):
    """The input data have errors; `findings` lists them all (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, findings=None):
        super().__init__(message)
        self.findings = findings


class NarrativeIncomplete(AnalysisError):
    """A final report asked for while its narrative still has parts to write (exit 1)."""

    exit_code = 1


class RenderError(AnalysisError):
    """The report could not be rendered, e.g. a glyph missing from the font (exit 3)."""

    exit_code = 3


class DeliveryError(AnalysisError):
    """The mail server refused the message or could not be reached (exit 4)."""

    exit_code = 4


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM: handled like Ctrl+C (staging removed, workers stopped), exit 143."""
