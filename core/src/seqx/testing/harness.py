"""``PluginHarness``: an isolated plugin manager for tests, with autoload off."""

from __future__ import annotations

import importlib
import warnings
from types import ModuleType
from typing import Any

from seqx.errors import PluginError
from seqx.hookspecs import hookimpl
from seqx.plugins import PluginInfo, PluginManager, set_plugin_manager
from seqx.registry import Provenance, Registry


class _FunctionPlugin:
    """Wraps a plain ``register(registry)`` function as a plugin."""

    def __init__(self, function: Any) -> None:
        self._function = function
        self.__module__ = function.__module__  # ":Attr" targets resolve in the function's module

    @hookimpl
    def seqx_register(self, registry: Any) -> None:
        self._function(registry)


class PluginHarness:
    """A plugin manager that sees only what a test registers (plus core's built-ins).

    While active (a context manager, or the ``seqx_plugins`` fixture) it is
    the process's plugin manager, so the CLI run in-process sees it too.
    """

    def __init__(self, *, builtin: bool = True) -> None:
        self.pm = PluginManager()
        if builtin:
            self.pm.load_builtin()
        self._previous: PluginManager | None = None
        self._active = False

    @property
    def registry(self) -> Registry:
        """The isolated registry."""
        return self.pm.registry

    def register(self, plugin: Any, name: str | None = None, *, strict: bool = True) -> PluginInfo:
        """Register ``plugin``: a module, its import string, a hook object or a function.

        With ``strict`` (the default) a plugin that fails to load raises
        :class:`PluginError`; otherwise it is recorded as broken, as in real use.
        """
        if isinstance(plugin, str):
            plugin = importlib.import_module(plugin)
        elif (
            callable(plugin)
            and not isinstance(plugin, (ModuleType, type))
            and not hasattr(plugin, "seqx_register")
        ):
            plugin = _FunctionPlugin(plugin)
        if name is None:
            name = getattr(plugin, "__name__", None) or type(plugin).__name__
        prov = Provenance(plugin=name, source="module")
        with warnings.catch_warnings():
            if strict:
                warnings.simplefilter("ignore")
            info = self.pm.add_plugin(plugin, prov, location=getattr(plugin, "__file__", None))
        if strict and info.status != "ok":
            self.pm.infos.remove(info)
            raise PluginError(info.error or f"plugin '{name}' failed to load")
        return info

    def activate(self) -> PluginHarness:
        """Make this the process's plugin manager."""
        if not self._active:
            self._previous = set_plugin_manager(self.pm)
            self._active = True
        return self

    def deactivate(self) -> None:
        """Restore the previous plugin manager."""
        if self._active:
            set_plugin_manager(self._previous)
            self._active = False

    def __enter__(self) -> PluginHarness:
        return self.activate()

    def __exit__(self, *exc: object) -> None:
        self.deactivate()
