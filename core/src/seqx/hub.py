"""Python API: load checkpoints into a task and models.

``load_model_ensemble`` is what ``seqx generate`` and ``seqx interactive`` use:
it checks that the plugins a checkpoint needs are installed, upgrades older
formats and rebuilds each model with the installed component's config class.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from seqx.config.resolve import RunConfig, SectionConfig, config_from_dict
from seqx.errors import SeqxError
from seqx.registry import Registry
from seqx.training.checkpoint_io import load_state
from seqx.training.trainer import FORMAT_VERSION

SECTION_KINDS = {"task": "task", "model": "model", "dataset_format": "dataset_format"}


def _missing(path: str, state: dict[str, Any], section: str, kind: str, name: str) -> SeqxError:
    prov = (state.get("components") or {}).get(section) or {}
    dist = prov.get("distribution")
    if dist and dist != "seqx":
        return SeqxError(
            f"checkpoint '{path}' needs {kind} '{name}' from {dist} {prov.get('version') or ''}"
            f", which is not installed: pip install {dist}"
        )
    return SeqxError(f"checkpoint '{path}' needs {kind} '{name}', which no plugin provides")


def upgrade(state: dict[str, Any], pm: Any, path: str) -> dict[str, Any]:
    """Bring ``state`` to the current format through the ``seqx_upgrade_checkpoint`` hook."""
    version = state.get("format_version")
    while version != FORMAT_VERSION:
        new = pm.hook.seqx_upgrade_checkpoint(state=state)
        if new is None or new.get("format_version") == version:
            raise SeqxError(
                f"checkpoint '{path}' has format version {version} (this seqx reads "
                f"{FORMAT_VERSION}) and no plugin upgrades it"
            )
        state, version = new, new.get("format_version")
    return state


def run_config_of(state: dict[str, Any], registry: Registry, path: str) -> RunConfig:
    """Rebuild a checkpoint's configuration with the installed components' config classes."""
    sections = {}
    for section, data in (state.get("config") or {}).items():
        if data is None:
            sections[section] = SectionConfig(None, None)
            continue
        name = data.get("_name")
        config = None
        if name is not None:
            kind = SECTION_KINDS.get(section)
            if kind is None:
                sections[section] = SectionConfig(name, None, data.get("_arch"))
                continue
            if (kind, name) not in registry:
                raise _missing(path, state, section, kind, name)
            cls = registry.get(kind, name).load_config()
            config = config_from_dict(cls, data) if cls is not None else None
        sections[section] = SectionConfig(name, config, data.get("_arch"))
    return RunConfig(sections)


@dataclass
class Loaded:
    """Models from checkpoints, with the task (and its dictionaries) they were built with."""

    models: list[Any]
    task: Any
    run_config: RunConfig
    states: list[dict[str, Any]]


def load_model_ensemble(
    paths: Sequence[str],
    data: str | None = None,
    pm: Any = None,
    device: str | torch.device = "cpu",
    dataset_format: str | None = None,
    use_ema: bool = False,
) -> Loaded:
    """Load one model per checkpoint; the task is set up from the first (with ``data``).

    ``use_ema`` loads the moving average of the weights that ``--ema-decay`` kept.
    """
    if pm is None:
        from seqx.plugins import get_plugin_manager

        pm = get_plugin_manager()
    registry = pm.registry
    models, states = [], []
    task = run_config = None
    for path in paths:
        state = upgrade(load_state(path), pm, path)
        cfg = run_config_of(state, registry, path)
        if task is None:
            run_config = cfg
            task_cfg = cfg.sections["task"].config
            if data is not None:
                task_cfg.data = data
            fmt_name = dataset_format or cfg.sections["dataset_format"].name or "mmap"
            if ("dataset_format", fmt_name) not in registry:
                raise _missing(path, state, "dataset_format", "dataset_format", fmt_name)
            fmt = registry.get("dataset_format", fmt_name).load()(None)
            task_cls = registry.get("task", cfg.sections["task"].name).load()
            task = task_cls.setup_task(task_cfg, dataset_format=fmt)
        model_sec = cfg.sections["model"]
        model_cls = registry.get("model", model_sec.name).load()
        model = task.build_model(model_sec.config, model_cls)
        if use_ema:
            if "ema" not in state:
                raise SeqxError(
                    f"checkpoint '{path}' has no moving average of the weights: it was trained "
                    "without --ema-decay; leave out --use-ema"
                )
            state["model"] = state["ema"]
        state["model"] = model.upgrade_state_dict(dict(state["model"]))
        _check_vocab(path, state["model"], model)
        model.load_state_dict(state["model"])
        models.append(model.to(device).eval())
        states.append(state)
    assert task is not None and run_config is not None
    return Loaded(models, task, run_config, states)


def _check_vocab(path: str, saved: dict[str, torch.Tensor], model: torch.nn.Module) -> None:
    current = model.state_dict()
    for key, tensor in saved.items():
        if "embed_tokens" in key and key in current and current[key].shape != tensor.shape:
            raise SeqxError(
                f"checkpoint '{path}' was trained with a dictionary of {tensor.shape[0]} symbols "
                f"but the data folder's has {current[key].shape[0]}: use the data folder the "
                "model was trained on"
            )
    missing = set(current) - set(saved)
    if missing:
        raise SeqxError(
            f"checkpoint '{path}' does not fit model '{type(model).__name__}' "
            f"(missing {sorted(missing)[:3]})"
        )
