"""Plugin discovery and loading: entry points, plugin dirs, isolation, provenance.

Every plugin is imported and registered in its own ``try``: one that fails
is reported (a :class:`PluginWarning` naming its distribution and the error,
and a ``broken`` row in ``seqx plugins``) while every other plugin keeps
working. ``SEQX_PLUGIN_TRACE=1`` raises the original error instead.

Environment:

- ``SEQX_LOAD_PLUGINS=a,b``: load only these (by plugin or distribution
  name); set but empty loads none, the way out of a broken install.
- ``SEQX_DISABLE_PLUGINS=a,b`` (and ``-p no:NAME``): skip these.
- ``SEQX_PLUGIN_PATH=DIR:DIR`` (and ``--plugin-dir DIR``): local plugin dirs.

Choices made on the command line are written back to the environment so
that spawned workers and distributed ranks load the same plugins.
"""

from __future__ import annotations

import difflib
import importlib
import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pluggy

from seqx import hookspecs, local_plugins
from seqx.errors import PluginError
from seqx.registrar import Registrar
from seqx.registry import BUILTIN, Entry, Provenance, Registry

ENTRY_POINT_GROUP = "seqx.plugins"
ENV_LOAD = "SEQX_LOAD_PLUGINS"
ENV_DISABLE = "SEQX_DISABLE_PLUGINS"
ENV_TRACE = "SEQX_PLUGIN_TRACE"
ENV_PATH = local_plugins.ENV_VAR


class PluginWarning(UserWarning):
    """A plugin could not be loaded; the others keep working."""


@dataclass
class PluginInfo:
    """One plugin as ``seqx plugins`` shows it."""

    name: str
    """The plugin's name (entry point name, module name, or ``builtin``)."""
    provenance: Provenance
    """Where it comes from."""
    status: str = "ok"
    """``ok``, ``broken`` (failed to load), ``disabled``, or ``missing`` (asked for, absent)."""
    error: str | None = None
    """Why it is broken or missing."""
    location: str | None = None
    """The file of its module, once imported."""
    entries: list[Entry] = field(default_factory=list)
    """What it registered."""

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``seqx plugins --json``."""
        return {
            "name": self.name,
            **{k: v for k, v in self.provenance.as_dict().items() if k != "plugin"},
            "status": self.status,
            "error": self.error,
            "location": self.location,
        }


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _norm(name: str) -> str:
    return name.lower().replace("_", "-")


def trace_enabled() -> bool:
    """Whether ``SEQX_PLUGIN_TRACE`` asks for plugin errors to be raised."""
    return os.environ.get(ENV_TRACE, "").lower() in ("1", "true", "yes", "on")


class PluginManager(pluggy.PluginManager):
    """pluggy's manager for the ``seqx`` project, plus the registry and plugin rows."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.registry = Registry()
        self.infos: list[PluginInfo] = []

    # -- registering one plugin ---------------------------------------------------------

    def add_plugin(
        self, plugin: object, provenance: Provenance, *, location: str | None = None
    ) -> PluginInfo:
        """Register ``plugin`` (a module or object with ``@hookimpl`` functions) in isolation."""
        info = PluginInfo(name=provenance.plugin, provenance=provenance, location=location)
        self.infos.append(info)
        try:
            self._check_hook_names(plugin, provenance)
            if self.has_plugin(provenance.plugin):
                raise PluginError(f"a plugin named '{provenance.plugin}' is already loaded")
            self.register(plugin, name=provenance.plugin)
            try:
                info.entries = self._call_register(plugin, provenance)
            except BaseException:
                self.unregister(plugin)
                raise
        except Exception as exc:
            self._fail(info, exc)
            return info
        for entry in info.entries:
            self.registry.add(entry)
        return info

    def _check_hook_names(self, plugin: object, provenance: Provenance) -> None:
        for attr in dir(plugin):
            opts = self.parse_hookimpl_opts(plugin, attr)
            if opts is None:
                continue
            hook = opts.get("specname") or attr
            if hook not in hookspecs.HOOK_NAMES and not opts.get("optionalhook"):
                close = difflib.get_close_matches(hook, hookspecs.HOOK_NAMES, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise PluginError(
                    f"plugin '{provenance.plugin}' ({provenance.describe()}) implements "
                    f"unknown hook '{hook}'{hint} Known hooks: {', '.join(hookspecs.HOOK_NAMES)}"
                )

    def _call_register(self, plugin: object, provenance: Provenance) -> list[Entry]:
        if isinstance(plugin, ModuleType):
            module = plugin.__name__
            package = plugin.__package__ or module.rpartition(".")[0]
        else:  # an object: anchor relative targets on its (or its class's) module
            module = getattr(plugin, "__module__", None) or type(plugin).__module__
            package = module.rpartition(".")[0]
        registrar = Registrar(provenance, package=package, module=module)
        kwargs = {"registry": registrar}
        for impl in self.hook.seqx_register.get_hookimpls():
            if impl.plugin is plugin:
                impl.function(**{a: kwargs[a] for a in impl.argnames})
        return registrar.entries

    def _fail(self, info: PluginInfo, exc: Exception) -> None:
        if trace_enabled():
            raise exc
        info.status = "broken"
        info.error = str(exc) if isinstance(exc, PluginError) else f"{type(exc).__name__}: {exc}"
        warnings.warn(
            f"plugin '{info.name}' ({info.provenance.describe()}) failed to load and is "
            f"skipped: {info.error} (set {ENV_TRACE}=1 to raise with the traceback)",
            PluginWarning,
            stacklevel=3,
        )

    def remove_plugin(self, name: str) -> None:
        """Unregister plugin ``name`` and forget what it registered."""
        plugin = self.get_plugin(name)
        if plugin is not None:
            self.unregister(plugin)
        self.registry.remove_plugin(name)
        self.infos = [i for i in self.infos if i.name != name]

    # -- sources of plugins -------------------------------------------------------------

    def load_builtin(self) -> None:
        """Register core's own components, through the same path as everyone's."""
        from seqx import builtin

        self.add_plugin(builtin, BUILTIN, location=builtin.__file__)

    def load_entrypoints(self, allow: set[str] | None, deny: set[str]) -> None:
        """Load the ``seqx.plugins`` entry points, filtered by allow- and deny-lists."""
        from importlib.metadata import entry_points

        found: set[str] = set()
        seen: set[tuple[str, str]] = set()
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            dist = getattr(ep, "dist", None)
            dist_name = dist.name if dist is not None else None
            key = (ep.name, dist_name or "")
            if key in seen:  # the same distribution seen twice on sys.path
                continue
            seen.add(key)
            names = {_norm(ep.name)} | ({_norm(dist_name)} if dist_name else set())
            prov = Provenance(
                plugin=ep.name,
                source="entrypoint",
                distribution=dist_name,
                version=dist.version if dist is not None else None,
            )
            if allow is not None:
                found |= names & allow
                if not names & allow:
                    continue
            if names & deny:
                self.infos.append(PluginInfo(ep.name, prov, status="disabled"))
                continue
            try:
                module = ep.load()
            except Exception as exc:
                self.infos.append(info := PluginInfo(ep.name, prov))
                self._fail(info, exc)
                continue
            self.add_plugin(module, prov, location=getattr(module, "__file__", None))
        for name in sorted((allow or set()) - found):
            msg = f"{ENV_LOAD} names '{name}', which is not an installed seqx plugin"
            all_names = [_norm(e.name) for e in entry_points(group=ENTRY_POINT_GROUP)]
            close = difflib.get_close_matches(name, all_names, n=1)
            if close:
                msg += f"; did you mean '{close[0]}'?"
            else:
                installed = sorted(set(all_names))
                msg += f" (installed: {', '.join(installed) or 'none'})"
            prov = Provenance(plugin=name, source="entrypoint")
            self.infos.append(PluginInfo(name, prov, status="missing", error=msg))
            warnings.warn(msg, PluginWarning, stacklevel=2)

    def load_plugin_dir(self, directory: str, deny: set[str]) -> None:
        """Load the modules and packages in ``directory`` that implement seqx hooks."""
        if not os.path.isdir(directory):
            raise PluginError(
                f"plugin directory '{directory}' (from --plugin-dir or {ENV_PATH}) does not "
                "exist or is not a directory"
            )
        directory = os.path.abspath(directory)
        package = local_plugins.add_dir(directory)
        for child in sorted(os.listdir(directory)):
            path = os.path.join(directory, child)
            if child.startswith(("_", ".")):
                continue
            if child.endswith(".py") and os.path.isfile(path):
                modname = child[:-3]
            elif os.path.isfile(os.path.join(path, "__init__.py")):
                modname = child
            else:
                continue
            if not modname.isidentifier():
                continue
            plugin_name = modname if not self.has_plugin(modname) else f"{modname}@{directory}"
            prov = Provenance(plugin=plugin_name, source="local", path=path)
            if _norm(modname) in deny:
                self.infos.append(PluginInfo(plugin_name, prov, status="disabled"))
                continue
            try:
                module = importlib.import_module(f"{package}.{modname}")
            except Exception as exc:
                self.infos.append(info := PluginInfo(plugin_name, prov, location=path))
                self._fail(info, exc)
                continue
            if any(self.parse_hookimpl_opts(module, a) is not None for a in dir(module)):
                self.add_plugin(module, prov, location=path)


def load_plugins(
    *,
    plugin_dirs: Sequence[str] = (),
    disable: Iterable[str] = (),
    autoload: bool = True,
    builtin: bool = True,
) -> PluginManager:
    """Build a plugin manager: built-in plugin, entry points, then plugin dirs.

    ``plugin_dirs`` and ``disable`` (from the command line) are added to the
    environment so that child processes load the same set.
    """
    env_dirs = local_plugins.env_dirs()
    dirs = [os.path.abspath(d) for d in plugin_dirs]
    all_dirs = list(dict.fromkeys(dirs + [os.path.abspath(d) for d in env_dirs]))
    deny_list = _split(os.environ.get(ENV_DISABLE)) + list(disable)
    if dirs:
        os.environ[ENV_PATH] = os.pathsep.join(all_dirs)
    if disable:
        os.environ[ENV_DISABLE] = ",".join(dict.fromkeys(deny_list))
    deny = {_norm(n) for n in deny_list}
    allow: set[str] | None = None
    if ENV_LOAD in os.environ:
        allow = {_norm(n) for n in _split(os.environ[ENV_LOAD])}

    pm = PluginManager()
    if builtin:
        pm.load_builtin()
    if autoload:
        pm.load_entrypoints(allow, deny)
    for d in all_dirs:
        pm.load_plugin_dir(d, deny)
    return pm


_current: PluginManager | None = None


def get_plugin_manager() -> PluginManager:
    """The process's plugin manager, loaded from the environment on first use."""
    global _current
    if _current is None:
        _current = load_plugins()
    return _current


def set_plugin_manager(pm: PluginManager | None) -> PluginManager | None:
    """Install ``pm`` as the process's plugin manager; return the previous one."""
    global _current
    previous, _current = _current, pm
    return previous


def get_registry() -> Registry:
    """The registry of the process's plugin manager."""
    return get_plugin_manager().registry
