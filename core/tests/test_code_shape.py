"""Core stays small in its parts: no module over 400 lines, no function over 60."""

from __future__ import annotations

import ast
from pathlib import Path

import seqx

CORE = Path(seqx.__file__).parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_no_module_is_over_400_lines():
    long = {
        str(p.relative_to(CORE)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"split these modules: {long}"


def test_no_function_is_over_60_lines():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if n > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(CORE)}:{node.name}"] = n
    assert not long, f"split these functions: {long}"
