"""Building a training run's parts from its resolved configuration: the chosen components,
the task, and a :class:`Trainer` with its model, criterion, precision, optimizer and
learning-rate schedule."""

from __future__ import annotations

import torch

from seqx.config.resolve import RunConfig
from seqx.data.folder import data_paths, folder_format
from seqx.registry import Registry
from seqx.tasks.task import Task
from seqx.training.components import SECTION_KINDS, Chosen, build, chosen
from seqx.training.config import CommonConfig, DistributedConfig, OptimizationConfig
from seqx.training.distributed import Ranks
from seqx.training.precision import choose_precision
from seqx.training.trainer import Trainer


def choose_components(registry: Registry, run_config: RunConfig) -> dict[str, Chosen]:
    """Section -> the component ``run_config`` chose for it, with its config; without
    ``--dataset-impl``, the data folder's format (:func:`seqx.data.folder.folder_format`)."""
    out = {
        section: chosen(registry, run_config, section, kind)
        for section, kind in SECTION_KINDS.items()
        if section in run_config.sections
    }
    fmt = out.get("dataset_format")
    if fmt is not None and fmt.entry is None:
        task_config = run_config.sections["task"].config
        data = data_paths(task_config.data)[0] if hasattr(task_config, "data") else None
        name = (folder_format(data) if data else None) or "mmap"
        entry = registry.get("dataset_format", name)
        config_cls = entry.load_config()
        out["dataset_format"] = Chosen(entry, config_cls() if config_cls is not None else None)
    return out


def setup_task(run_config: RunConfig, components: dict[str, Chosen]) -> Task:
    """The chosen task, set up with the chosen dataset format."""
    fmt = build(components["dataset_format"])
    task_cls = components["task"].load()
    task: Task = task_cls.setup_task(run_config.sections["task"].config, dataset_format=fmt)
    return task


def build_trainer(
    run_config: RunConfig,
    components: dict[str, Chosen],
    task: Task,
    device: torch.device,
    ranks: Ranks,
) -> Trainer:
    """The task's model and criterion, on ``device`` in the chosen precision, with the
    chosen optimizer and schedule, in a :class:`Trainer`."""
    common = run_config.section(CommonConfig, "common")
    opt = run_config.section(OptimizationConfig, "optimization")
    model = task.build_model(run_config.sections["model"].config, components["model"].load())
    criterion = task.build_criterion(
        run_config.sections["criterion"].config, components["criterion"].load()
    )
    precision = choose_precision(common, device, ranks.world_size, opt.update_freq[0])
    model = precision.prepare_model(model.to(device))
    lrs = tuple(opt.lr)
    optimizer = precision.build_optimizer(
        model, lambda params: build(components["optimizer"], params, lrs[0])
    )
    lr_scheduler = build(components["lr_scheduler"], optimizer, lrs)
    distributed = run_config.section(DistributedConfig, "distributed")
    return Trainer(
        opt, task, model, criterion, optimizer, lr_scheduler, precision, device, ranks,
        find_unused_parameters=distributed.find_unused_parameters,
    )  # fmt: skip
