"""Python API: load checkpoints into a task and models.

``load_model_ensemble`` is what ``seqx generate`` and ``seqx interactive`` use:
it checks that the plugins a checkpoint needs are installed, upgrades older
formats and rebuilds each model with the installed component's config class.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from seqx.checkpoint import (
    check_dictionaries,
    load_model_weights,
    read_checkpoint,
    run_config_of,
)
from seqx.checkpoint.configs import missing_component
from seqx.config.resolve import RunConfig
from seqx.data.folder import data_paths, folder_format
from seqx.errors import SeqxError
from seqx.models.base_model import BaseModel
from seqx.plugins import PluginManager
from seqx.tasks.task import Task


@dataclass
class Loaded:
    """Models from checkpoints, with the task (and its dictionaries) they were built with."""

    models: list[BaseModel]
    """One model per checkpoint, in evaluation mode, on the device asked for."""
    task: Task
    """The task of the first checkpoint, set up on the data folder."""
    run_config: RunConfig
    """The first checkpoint's configuration."""
    states: list[dict[str, Any]]
    """The checkpoints as loaded (upgraded to the current format)."""


def load_model_ensemble(
    paths: Sequence[str],
    data: str | None = None,
    pm: PluginManager | None = None,
    device: str | torch.device = "cpu",
    dataset_format: str | None = None,
    use_ema: bool = False,
    expect: Callable[[type, str | None, str], None] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Loaded:
    """Load one model per checkpoint; the task is set up from the first (with ``data``).

    ``use_ema`` loads the moving average of the weights that ``--ema-decay`` kept;
    ``expect(model class, task name, path)`` may refuse a checkpoint's model before
    anything else is read; ``overrides`` (``--model-overrides``) replaces options of each
    checkpoint's task and model.
    """
    if pm is None:
        from seqx.plugins import get_plugin_manager

        pm = get_plugin_manager()
    registry = pm.registry
    models: list[BaseModel] = []
    states: list[dict[str, Any]] = []
    task: Task | None = None
    run_config: RunConfig | None = None
    for path in paths:
        state = override(read_checkpoint(path, pm), overrides or {}, path)
        cfg = run_config_of(state, registry, path)
        model_cls = registry.get("model", _recorded_name(cfg, "model", path)).load()
        if expect is not None:
            expect(model_cls, cfg.sections["task"].name if "task" in cfg.sections else None, path)
        if task is None:
            run_config = cfg
            task = _setup_task(cfg, state, path, pm, data, dataset_format)
        check_dictionaries(path, state, task)
        model_sec = cfg.sections["model"]
        model = task.build_model(model_sec.config, model_cls)
        state["model"] = load_model_weights(
            model, state, path, use_ema=use_ema, arch=model_sec.arch or model_sec.name
        )
        models.append(model.to(device).eval())
        states.append(state)
    assert task is not None and run_config is not None
    return Loaded(models, task, run_config, states)


def override(state: dict[str, Any], overrides: Mapping[str, Any], path: str) -> dict[str, Any]:
    """``state`` with options of its task and model replaced by ``overrides``."""
    config = state.get("config") or {}
    for key, value in overrides.items():
        owners = [s for s in ("task", "model") if key in (config.get(s) or {})]
        if not owners or key.startswith("_"):
            task, model = (config.get(s) or {} for s in ("task", "model"))
            raise SeqxError(
                f"--model-overrides: '{key}' is not an option of checkpoint '{path}''s task "
                f"'{task.get('_name')}' or model '{model.get('_name')}'"
            )
        for section in owners:
            config[section][key] = value
    return state


def _recorded_name(cfg: RunConfig, section: str, path: str) -> str:
    name = cfg.sections[section].name if section in cfg.sections else None
    if name is None:
        raise SeqxError(f"checkpoint '{path}' records no {section}: it is not a seqx checkpoint")
    return name


def _setup_task(
    cfg: RunConfig,
    state: dict[str, Any],
    path: str,
    pm: PluginManager,
    data: str | None,
    dataset_format: str | None,
) -> Task:
    """The checkpoint's task, set up on ``data`` (default: the folder it was trained on)."""
    registry = pm.registry
    task_cfg = cfg.sections["task"].config
    if data is not None:
        task_cfg.data = data
    folder = data_paths(task_cfg.data)[0] if hasattr(task_cfg, "data") else None
    fmt_name = (
        dataset_format
        or (folder_format(folder) if folder else None)
        or cfg.sections["dataset_format"].name
        or "mmap"
    )
    if ("dataset_format", fmt_name) not in registry:
        raise missing_component(path, state, "dataset_format", "dataset_format", fmt_name)
    fmt = registry.get("dataset_format", fmt_name).load()(None)
    task_cls = registry.get("task", _recorded_name(cfg, "task", path)).load()
    task: Task = task_cls.setup_task(task_cfg, dataset_format=fmt)
    return task


MODEL_FOLDER_FILES = {
    "bpecodes": "bpe_codes",
    "code": "bpe_codes",
    "sentencepiece.bpe.model": "sentencepiece_model",
}
"""Files of a fairseq model folder that ``from_pretrained`` hands to the subword model."""


def from_pretrained(
    model_name_or_path: str,
    checkpoint_file: str = "model.pt",
    data_name_or_path: str = ".",
    **kwargs: Any,
) -> Any:
    """fairseq's ``from_pretrained``: the checkpoint(s) ``checkpoint_file`` (``a.pt:b.pt``
    for an ensemble) of model folder ``model_name_or_path``, with the dictionaries of
    ``data_name_or_path`` (relative to the folder when it starts with ``.``), as a
    :class:`~seqx.hub_interface.GeneratorHubInterface`.

    ``kwargs``: ``tokenizer="moses"``, ``bpe="subword_nmt"`` or ``"sentencepiece"`` with
    their options (``bpe_codes``; a ``bpecodes`` or ``sentencepiece.bpe.model`` file in the
    folder is found), ``source_lang``/``target_lang``, and options of the checkpoints'
    task and model to override. fairseq's names of released models (``transformer.wmt19
    .en-de``) download archives; seqx loads local folders only.
    """
    import os

    from seqx.generation.pipelines import decoding_pipelines
    from seqx.hub_interface import GeneratorHubInterface
    from seqx.plugins import get_plugin_manager

    folder = model_name_or_path
    if not os.path.isdir(folder):
        raise SeqxError(
            f"'{folder}' is not a model folder: give the local folder holding "
            f"{checkpoint_file} (seqx does not download fairseq's released models)"
        )
    pm = get_plugin_manager()
    data = data_name_or_path
    if data.startswith("."):
        data = os.path.abspath(os.path.join(folder, data))
    for name, option in MODEL_FOLDER_FILES.items():
        if os.path.exists(os.path.join(folder, name)):
            kwargs.setdefault(option, os.path.join(folder, name))
    text = {kind: _text_component(pm, kind, kwargs) for kind in ("tokenizer", "bpe")}
    for option in set(MODEL_FOLDER_FILES.values()):
        kwargs.pop(option, None)  # found in the folder, not asked for
    paths = [os.path.join(folder, f) for f in checkpoint_file.split(os.pathsep)]
    loaded = load_model_ensemble(paths, data=data, pm=pm, overrides=kwargs)
    source, target = decoding_pipelines(pm.registry, data, loaded.task, **text)
    return GeneratorHubInterface(loaded, source, target)


def _text_component(pm: PluginManager, kind: str, kwargs: dict[str, Any]) -> Any:
    """The ``tokenizer``/``bpe`` named in ``kwargs``, its config from ``kwargs`` (the
    options it takes are removed from ``kwargs``)."""
    from seqx.config.fields import config_fields
    from seqx.config.resolve import SectionConfig

    name = kwargs.pop(kind, None)
    if name is None:
        return None
    entry = pm.registry.get(kind, name)
    cls = entry.load_config()
    if cls is None:
        return SectionConfig(name, None)
    fields = {f.name for f in config_fields(cls)}
    given = {k: kwargs.pop(k) for k in list(kwargs) if k in fields and k not in _LANGS}
    given.update({k: kwargs[k] for k in _LANGS if k in fields and k in kwargs})
    return SectionConfig(name, cls(**given))


_LANGS = ("source_lang", "target_lang")
