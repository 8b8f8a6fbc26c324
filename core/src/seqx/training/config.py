"""The trainer's own option groups, with fairseq's flag names.

Light module (no torch): ``seqx train --help`` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from seqx.config.ranges import Range


@dataclass(kw_only=True)
class CommonConfig:
    """Options of every run."""

    seed: int = 1
    """Random seed for torch, numpy and Python; the same seed gives the same run."""
    cpu: bool = False
    """Use the CPU even when CUDA is available."""
    amp: bool = False
    """Automatic mixed precision: bfloat16 on CPU, float16 with a dynamic loss scaler on CUDA."""
    fp16: bool = False
    """Train a float16 model with float32 master weights and a dynamic loss scale."""
    bf16: bool = False
    """Train a bfloat16 model with float32 master weights (no loss scale needed)."""
    fp16_init_scale: float = 128.0
    """The initial loss scale of --fp16."""
    fp16_scale_window: int | None = None
    """Updates without overflow before the loss scale doubles (default 2^14 divided by the
    number of processes and --update-freq)."""
    fp16_scale_tolerance: float = 0.0
    """The share of overflowing updates accepted before the loss scale is lowered."""
    min_loss_scale: Annotated[float, Range(gt=0)] = 1e-4
    """Stop training when the loss scale falls below this."""
    threshold_loss_scale: float | None = None
    """The loss scale never goes below this (overflowing updates are still skipped)."""
    memory_efficient_fp16: bool = False
    """fairseq's --fp16 without a float32 copy of the weights; seqx trains it as --fp16
    (with the copy: the same updates, more memory), and says so."""
    memory_efficient_bf16: bool = False
    """fairseq's --bf16 without a float32 copy of the weights; trained as --bf16."""
    log_format: Literal["json", "simple", "tqdm", "none"] | None = None
    """Log format: a progress bar on a terminal (tqdm), otherwise simple lines."""
    no_progress_bar: bool = False
    """No progress bar: simple log lines even on a terminal (unless --log-format says)."""
    log_interval: Annotated[int, Range(ge=1)] = 100
    """Log training stats every N updates."""
    log_file: str | None = None
    """Also write the log lines to this file."""
    tensorboard_logdir: str | None = None
    """Also log the stats to TensorBoard event files in this folder (needs tensorboard)."""
    wandb_project: str | None = None
    """Also log the stats to this Weights & Biases project (needs wandb)."""


@dataclass(kw_only=True)
class DatasetConfig:
    """Batching and data loading."""

    max_tokens: Annotated[int | None, Range(ge=1)] = None
    """Maximum number of tokens in a batch."""
    batch_size: Annotated[int | None, Range(ge=1)] = field(
        default=None, metadata={"aliases": ("--max-sentences",)}
    )
    """Maximum number of sentences in a batch."""
    max_tokens_valid: Annotated[int | None, Range(ge=1)] = None
    """Maximum number of tokens in a validation batch (default: --max-tokens)."""
    batch_size_valid: Annotated[int | None, Range(ge=1)] = field(
        default=None, metadata={"aliases": ("--max-sentences-valid",)}
    )
    """Maximum number of sentences in a validation batch (default: --batch-size)."""
    required_batch_size_multiple: Annotated[int, Range(ge=1)] = 8
    """Batch sizes are a multiple of N where possible."""
    num_workers: Annotated[int, Range(ge=0)] = 1
    """DataLoader worker processes (0 loads in the main process)."""
    skip_invalid_size_inputs_valid_test: bool = False
    """Skip examples longer than the model's positions instead of failing."""
    train_subset: str = "train"
    """The data split to train on."""
    valid_subset: str = "valid"
    """Comma-separated data splits to validate on."""
    validate_interval: Annotated[int, Range(ge=1)] = 1
    """Validate every N epochs."""
    validate_interval_updates: Annotated[int, Range(ge=0)] = 0
    """Also validate every N updates (0: only at the end of epochs)."""
    disable_validation: bool = False
    """Never validate (checkpoint_best.pt is then not written)."""
    validate_after_updates: Annotated[int, Range(ge=0)] = 0
    """Do not validate before N updates."""
    curriculum: Annotated[int, Range(ge=0)] = 0
    """Do not shuffle the batches in the first N epochs (shortest first)."""


@dataclass(kw_only=True)
class OptimizationConfig:
    """How long and how to step."""

    max_epoch: Annotated[int, Range(ge=0, note="0: no limit")] = 0
    """Stop after N epochs (0: no limit)."""
    max_update: Annotated[int, Range(ge=0, note="0: no limit")] = 0
    """Stop after N updates (0: no limit)."""
    stop_time_hours: Annotated[float, Range(ge=0)] = 0.0
    """Stop (validating and saving first) after this much training time (0: no limit)."""
    lr: Annotated[tuple[float, ...], Range(ge=0)] = (0.25,)
    """Learning rate; a list gives one per epoch for the fixed schedule (0.25,0.1)."""
    stop_min_lr: float = -1.0
    """Stop before an epoch once the learning rate is at or below this (fairseq's check;
    with reduce_lr_on_plateau, the end of training)."""
    clip_norm: Annotated[float, Range(ge=0)] = 0.0
    """Clip the gradient norm to this value (0: no clipping)."""
    update_freq: Annotated[tuple[int, ...], Range(ge=1)] = (1,)
    """Accumulate gradients over N batches per update."""
    store_ema: bool = False
    """Keep an exponential moving average of the weights (fairseq's switch; its decay is
    --ema-decay, 0.9999 unless given); checkpoints store it and seqx generate --use-ema
    decodes with it."""
    ema_decay: float = 0.0
    """The decay of the moving average (e.g. 0.9999); given alone, it also turns the
    average on (0: none, unless --store-ema)."""
    ema_start_update: Annotated[int, Range(ge=0)] = 0
    """The average is a copy of the weights before this update, then averages."""
    ema_update_freq: Annotated[int, Range(ge=1)] = 1
    """Move the average every N updates (fairseq's)."""
    ema_fp32: bool = False
    """Keep the average in float32 (fairseq's flag; seqx always does)."""
    ema_seed_model: str | None = None
    """Start the average from the moving average stored in this checkpoint (seqx's or
    fairseq's) instead of from the initial weights."""
    max_nonfinite_updates: Annotated[int, Range(ge=0)] = 10
    """Stop after this many updates in a row whose loss or gradient is NaN or inf (each
    is skipped and counted); 0 stops at the first."""

    def __post_init__(self) -> None:
        from seqx.errors import ConfigError

        if self.store_ema and self.ema_decay == 0.0:
            self.ema_decay = 0.9999  # fairseq's default decay
        if self.ema_decay != 0.0 and not 0.0 < self.ema_decay < 1.0:
            raise ConfigError(
                f"--ema-decay must be between 0 and 1 (e.g. 0.9999), or 0 for none; "
                f"got {self.ema_decay}"
            )


@dataclass(kw_only=True)
class CheckpointConfig:
    """Where and when checkpoints are written."""

    save_dir: str = "checkpoints"
    """Directory for checkpoints and config.json."""
    restore_file: str = "checkpoint_last.pt"
    """Checkpoint to resume from (relative to --save-dir unless absolute)."""
    no_save: bool = False
    """Write no checkpoints."""
    save_interval: Annotated[int, Range(ge=1)] = 1
    """Save an epoch checkpoint every N epochs."""
    no_epoch_checkpoints: bool = False
    """Write only checkpoint_last.pt and checkpoint_best.pt."""
    no_last_checkpoints: bool = False
    """Do not write checkpoint_last.pt."""
    no_save_optimizer_state: bool = False
    """Leave the optimizer state out of checkpoints (smaller files); resuming from one
    starts a fresh optimizer, as --reset-optimizer does."""
    keep_last_epochs: int = -1
    """Keep only the last N epoch checkpoints (-1: all)."""
    save_interval_updates: Annotated[int, Range(ge=0)] = 0
    """Also save checkpoint_EPOCH_UPDATES.pt (and checkpoint_last.pt) every N updates."""
    keep_interval_updates: int = -1
    """Keep only the last N checkpoints saved by --save-interval-updates (-1: all)."""
    keep_best_checkpoints: int = -1
    """Keep the N best checkpoints as checkpoint.best_METRIC_VALUE.pt (-1: none)."""
    patience: int = -1
    """Stop when the validation metric has not improved for N validations (-1: never)."""
    finetune_from_model: str | None = None
    """Start from this checkpoint's model weights only (a fresh optimizer, schedule and
    data order); ignored once --save-dir has a checkpoint_last.pt to resume from."""
    reset_optimizer: bool = False
    """Do not restore the optimizer state from the checkpoint."""
    reset_lr_scheduler: bool = False
    """Do not restore the learning rate schedule from the checkpoint."""
    reset_dataloader: bool = False
    """Do not restore the data position: start at the beginning of epoch 1."""
    reset_meters: bool = False
    """Do not restore the logged running sums and the best metric."""
    best_checkpoint_metric: str = "loss"
    """Validation metric that picks checkpoint_best.pt."""
    maximize_best_checkpoint_metric: bool = False
    """Larger --best-checkpoint-metric is better (e.g. bleu)."""


@dataclass(kw_only=True)
class DistributedConfig:
    """Training in several processes (torch.distributed), started by torchrun or SLURM."""

    distributed_world_size: int | None = None
    """The number of processes expected; an error when the launcher started another number
    (default: whatever torchrun or SLURM started)."""
    nproc_per_node: Annotated[int, Range(ge=1)] = field(
        default=1, metadata={"aliases": ("--nprocs-per-node",)}
    )
    """Start this many processes on this machine through torchrun (one per GPU on CUDA)."""
    distributed_backend: Literal["auto", "gloo", "nccl"] = "auto"
    """The torch.distributed backend: auto takes nccl on CUDA and gloo on CPU."""
    distributed_port: int = 29500
    """The rendezvous port when the ranks come from SLURM's environment."""
    distributed_timeout: Annotated[int, Range(ge=1)] = 600
    """Seconds a rank waits for the others before giving up with an error."""
    ddp_backend: Literal["pytorch_ddp", "c10d", "no_c10d", "legacy_ddp", "fully_sharded"] = (
        "pytorch_ddp"
    )
    """fairseq's data-parallel implementations: each but fully_sharded runs torch's
    DistributedDataParallel (c10d is its old name; the gradients are the same)."""
    find_unused_parameters: bool = False
    """Let DistributedDataParallel find parameters a forward pass did not use."""
    local_rank: int | None = field(default=None, metadata={"aliases": ("--local_rank",)})
    """What torch.distributed.launch passes; the rank comes from the environment."""
