"""The plugin module: a command, and a subscriber to every logged stats dict."""

from __future__ import annotations

import json
import os
from typing import Any

from seqx import hookimpl

ENV_VAR = "SEQX_JSONL_LOG"


@hookimpl
def seqx_register(registry: Any) -> None:
    registry.command(
        "log-summary",
        "seqx_jsonl_log.command:log_summary",
        help="Summarize a JSON-lines training log (from SEQX_JSONL_LOG).",
    )


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # a tensor or numpy scalar
        return value.item()
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)


@hookimpl
def seqx_log(stats: dict[str, Any], tag: str, step: int | None) -> None:
    path = os.environ.get(ENV_VAR)
    if not path:
        return
    record = {"tag": tag, "step": step, **{k: _plain(v) for k, v in stats.items()}}
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
