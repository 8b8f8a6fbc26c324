"""Tasks: the ``Task`` base; built-in ``translation`` and ``language_modeling``.

``from seqx.tasks import Task`` imports it on first use (the package stays light).
"""

from typing import Any

__all__ = ["Task"]


def __getattr__(name: str) -> Any:
    if name == "Task":
        from seqx.tasks.task import Task

        return Task
    raise AttributeError(f"module 'seqx.tasks' has no attribute '{name}'")
