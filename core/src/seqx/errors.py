"""Errors that seqx reports to the user as a message, without a traceback.

Every error a user can cause (a bad flag, an unknown name, a broken plugin)
derives from :class:`SeqxError`; the command line prints its message and
exits with status 2 (usage) or 1 (anything else).
"""

from __future__ import annotations


class SeqxError(Exception):
    """An error whose message tells the user what is wrong and how to fix it."""

    exit_code: int = 1


class PluginError(SeqxError):
    """A plugin failed to import, register or validate."""


class UnknownComponentError(SeqxError, KeyError):
    """A component name that no loaded plugin registers."""

    exit_code = 2

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ComponentConflictError(SeqxError):
    """Two plugins registered the same kind and name."""


class ConfigError(SeqxError, ValueError):
    """A configuration value or an arch definition is invalid."""

    exit_code = 2
