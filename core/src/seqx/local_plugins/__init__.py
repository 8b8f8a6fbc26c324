"""Import support for plugin directories (``--plugin-dir DIR`` / ``SEQX_PLUGIN_PATH``).

Each directory becomes the package ``seqx.local_plugins.<key>``, where
``<key>`` is derived from the directory's absolute path; its modules and
packages import as submodules, so two directories may both hold a
``plugin.py`` and relative imports inside a directory work.

The names are importable in any process that can see the directory in
``SEQX_PLUGIN_PATH``: importing this package installs a finder, so a
DataLoader worker or distributed rank that unpickles an object of a local
plugin's class finds its module without any setup of its own.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import os
import re
import sys
from types import ModuleType

ENV_VAR = "SEQX_PLUGIN_PATH"
_dirs: dict[str, str] = {}


def dir_key(path: str) -> str:
    """The package name (last component) for plugin directory ``path``."""
    path = os.path.abspath(path)
    stem = re.sub(r"\W", "_", os.path.basename(path.rstrip(os.sep)) or "root")
    digest = hashlib.sha1(path.encode()).hexdigest()[:8]
    return f"d_{stem}_{digest}"


def env_dirs() -> list[str]:
    """The directories named by ``SEQX_PLUGIN_PATH`` (``os.pathsep``-separated)."""
    return [d for d in os.environ.get(ENV_VAR, "").split(os.pathsep) if d]


def add_dir(path: str) -> str:
    """Make ``path`` importable as ``seqx.local_plugins.<key>``; return that package name."""
    path = os.path.abspath(path)
    key = dir_key(path)
    _dirs[key] = path
    return f"{__name__}.{key}"


def _lookup(key: str) -> str | None:
    if key in _dirs:
        return _dirs[key]
    for d in env_dirs():
        if dir_key(d) == key:
            _dirs[key] = os.path.abspath(d)
            return _dirs[key]
    return None


class _DirLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        return None


class _DirFinder(importlib.abc.MetaPathFinder):
    """Finds ``seqx.local_plugins.<key>`` as a package rooted at the directory."""

    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        prefix = __name__ + "."
        if not fullname.startswith(prefix) or "." in fullname[len(prefix) :]:
            return None
        directory = _lookup(fullname[len(prefix) :])
        if directory is None:
            return None
        spec = importlib.machinery.ModuleSpec(fullname, _DirLoader(), is_package=True)
        spec.submodule_search_locations = [directory]
        return spec


if not any(isinstance(f, _DirFinder) for f in sys.meta_path):
    sys.meta_path.append(_DirFinder())
