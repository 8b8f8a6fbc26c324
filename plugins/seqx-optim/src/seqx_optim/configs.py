"""Options of seqx-optim's components, with fairseq's names (light module)."""

from dataclasses import dataclass, field
from typing import Annotated

from seqx.config.ranges import Range


@dataclass(kw_only=True)
class AdamConfig:
    """Options of Adam."""

    adam_betas: tuple[float, float] = (0.9, 0.999)
    """Betas of Adam, e.g. '(0.9, 0.98)'."""
    adam_eps: Annotated[float, Range(gt=0)] = 1e-8
    """Epsilon of Adam."""
    weight_decay: Annotated[float, Range(ge=0)] = field(
        default=0.0, metadata={"aliases": ("--wd",)}
    )
    """Decoupled weight decay (AdamW)."""
    use_old_adam: bool = False
    """Not the fused kernel (fairseq's flag: its own Adam instead of FusedAdam; the same
    updates)."""
    fp16_adam_stats: bool = False
    """fairseq keeps Adam's moments in float16 with this; seqx keeps them in float32 (the
    flag is accepted; the updates are the same or closer to float32 training)."""

    def __post_init__(self) -> None:
        check_betas("--adam-betas", self.adam_betas)


@dataclass(kw_only=True)
class CPUAdamConfig:
    """Options of cpu_adam."""

    adam_betas: tuple[float, float] = (0.9, 0.999)
    """Betas of Adam, e.g. '(0.9, 0.98)'."""
    adam_eps: Annotated[float, Range(gt=0)] = 1e-8
    """Epsilon of Adam."""
    weight_decay: Annotated[float, Range(ge=0)] = field(
        default=0.0, metadata={"aliases": ("--wd",)}
    )
    """Decoupled weight decay (AdamW)."""
    fp16_adam_stats: bool = False
    """Accepted as fairseq's cpu_adam takes it; the moments stay in float32."""
    use_old_adam: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        check_betas("--adam-betas", self.adam_betas)


@dataclass(kw_only=True)
class SGDConfig:
    """Options of SGD."""

    momentum: Annotated[float, Range(ge=0)] = 0.0
    """Momentum factor."""
    weight_decay: Annotated[float, Range(ge=0)] = field(
        default=0.0, metadata={"aliases": ("--wd",)}
    )
    """Weight decay (L2 penalty)."""


@dataclass(kw_only=True)
class NAGConfig:
    """Options of NAG."""

    momentum: Annotated[float, Range(ge=0)] = 0.99
    """Momentum factor."""
    weight_decay: Annotated[float, Range(ge=0)] = field(
        default=0.0, metadata={"aliases": ("--wd",)}
    )
    """Weight decay."""


@dataclass(kw_only=True)
class FixedConfig:
    """Options of the fixed schedule."""

    force_anneal: int | None = None
    """From this epoch on, shrink the learning rate every epoch by --lr-shrink."""
    lr_shrink: Annotated[float, Range(gt=0, le=1)] = 0.1
    """Shrink factor of annealing."""
    warmup_updates: Annotated[int, Range(ge=0)] = 0
    """Raise the learning rate linearly over the first N updates."""


@dataclass(kw_only=True)
class InverseSqrtConfig:
    """Options of the inverse square root schedule."""

    warmup_updates: Annotated[int, Range(ge=0)] = 4000
    """Raise the learning rate linearly over the first N updates."""
    warmup_init_lr: float = -1.0
    """Learning rate at the start of warmup (default: 0, or --lr without warmup)."""


@dataclass(kw_only=True)
class CosineConfig:
    """Options of the cosine schedule (Loshchilov and Hutter's warm restarts)."""

    warmup_updates: Annotated[int, Range(ge=0)] = 0
    """Raise the learning rate linearly over the first N updates."""
    warmup_init_lr: float = -1.0
    """Learning rate at the start of warmup (default: --min-lr)."""
    min_lr: Annotated[float, Range(ge=0)] = 0.0
    """The lowest learning rate of a period (shrunk with the period's peak)."""
    t_mult: Annotated[float, Range(gt=0)] = 1.0
    """Factor to grow the length of each period by."""
    lr_period_updates: float = -1.0
    """Updates in the first period (default: --max-update less --warmup-updates)."""
    lr_shrink: Annotated[float, Range(gt=0, le=1)] = 0.1
    """Factor to shrink the peak and lowest rates by at each new period."""
    max_update: int = 0
    """Stop after N updates (the default length of the period)."""


@dataclass(kw_only=True)
class PolynomialDecayConfig:
    """Options of the polynomial decay schedule."""

    warmup_updates: Annotated[int, Range(ge=0)] = 0
    """Raise the learning rate linearly over the first N updates."""
    force_anneal: int | None = None
    """From this epoch on, keep the rate the updates reached instead of --lr's."""
    end_learning_rate: Annotated[float, Range(ge=0)] = 0.0
    """The rate reached at --total-num-update."""
    power: Annotated[float, Range(gt=0)] = 1.0
    """Power of the decay (1: linear)."""
    total_num_update: float = -1.0
    """Updates over which to decay (default: --max-update)."""
    max_update: int = 0
    """Stop after N updates (the default of --total-num-update)."""


@dataclass(kw_only=True)
class ReduceLROnPlateauConfig:
    """Options of the reduce-on-plateau schedule."""

    lr_shrink: Annotated[float, Range(gt=0, le=1)] = 0.1
    """Factor to shrink the learning rate by when the validation metric plateaus."""
    lr_threshold: Annotated[float, Range(ge=0)] = 1e-4
    """Relative change of the metric below which it counts as no improvement."""
    lr_patience: Annotated[int, Range(ge=0)] = 0
    """Validations without improvement before the rate shrinks."""
    warmup_updates: Annotated[int, Range(ge=0)] = 0
    """Raise the learning rate linearly over the first N updates."""
    warmup_init_lr: float = -1.0
    """Learning rate at the start of warmup (default: 0 with warmup, else --lr)."""
    maximize_best_checkpoint_metric: bool = False
    """A larger validation metric is better (BLEU): the plateau is of a maximum."""


@dataclass(kw_only=True)
class StepConfig:
    """Options of the step schedule."""

    warmup_updates: Annotated[int, Range(ge=0)] = 0
    """Raise the learning rate linearly over the first N updates."""
    warmup_init_lr: float = -1.0
    """Learning rate at the start of warmup (default: --min-lr)."""
    min_lr: Annotated[float, Range(ge=0)] = 0.0
    """The learning rate never goes below this."""
    lr_deacy_period: Annotated[int, Range(ge=1)] = field(
        default=25000, metadata={"aliases": ("--lr-decay-period",)}
    )
    """Updates between two decays (fairseq spells it --lr-deacy-period)."""
    lr_decay: Annotated[float, Range(gt=0, le=1)] = 0.5
    """Factor to multiply the learning rate by at each period."""


@dataclass(kw_only=True)
class TriStageConfig:
    """Options of the tri-stage schedule (warmup, hold, exponential decay)."""

    warmup_steps: Annotated[int, Range(ge=0)] = 0
    """Updates of the linear warmup from --init-lr-scale times --lr."""
    hold_steps: Annotated[int, Range(ge=0)] = 0
    """Updates at --lr."""
    decay_steps: Annotated[int, Range(ge=0)] = 0
    """Updates of the exponential decay to --final-lr-scale times --lr."""
    phase_ratio: tuple[float, float, float] | None = None
    """Warmup, hold and decay as shares of --max-update, e.g. '(0.1, 0.4, 0.5)'."""
    init_lr_scale: Annotated[float, Range(gt=0)] = 0.01
    """The rate at the start of warmup, as a share of --lr."""
    final_lr_scale: Annotated[float, Range(gt=0)] = 0.01
    """The rate after the decay, as a share of --lr."""
    max_update: int = 0
    """Stop after N updates (what --phase-ratio divides)."""


@dataclass(kw_only=True)
class TriangularConfig:
    """Options of the triangular (cyclical) schedule."""

    max_lr: Annotated[float | None, Range(gt=0)] = None
    """The peak rate of each cycle (--lr is the lowest); required."""
    lr_period_updates: Annotated[float, Range(gt=1)] = 5000
    """Updates in one cycle (up and down)."""
    lr_shrink: Annotated[float, Range(gt=0, le=1)] = 0.1
    """Factor to shrink the peak by after each cycle."""
    shrink_min: bool = False
    """Shrink the lowest rate too."""


@dataclass(kw_only=True)
class ManualConfig:
    """Options of the manual schedule."""

    epoch2lr: str = "{}"
    """Rates from given epochs on: "{'1': 0.1, '3-5': 0.05, '6,8': 0.01}"."""
    update2lr: str = "{}"
    """Rates from given updates on, in the same form as --epoch2lr."""


@dataclass(kw_only=True)
class AdadeltaConfig:
    """Options of Adadelta."""

    adadelta_rho: Annotated[float, Range(ge=0, le=1)] = 0.9
    """Coefficient of the running average of squared gradients."""
    adadelta_eps: Annotated[float, Range(gt=0)] = 1e-6
    """Term added to the denominator for numerical stability."""
    weight_decay: Annotated[float, Range(ge=0)] = field(
        default=0.0, metadata={"aliases": ("--wd",)}
    )
    """Weight decay (L2 penalty)."""
    anneal_eps: bool = False
    """Accepted as fairseq accepts it; fairseq's Adadelta does not use it either."""


@dataclass(kw_only=True)
class AdagradConfig:
    """Options of Adagrad."""

    weight_decay: Annotated[float, Range(ge=0)] = field(
        default=0.0, metadata={"aliases": ("--wd",)}
    )
    """Weight decay (L2 penalty)."""


@dataclass(kw_only=True)
class AdamaxConfig:
    """Options of Adamax."""

    adamax_betas: tuple[float, float] = (0.9, 0.999)
    """Betas of Adamax, e.g. '(0.9, 0.98)'."""
    adamax_eps: Annotated[float, Range(gt=0)] = 1e-8
    """Epsilon of Adamax (added to the infinity norm)."""
    weight_decay: Annotated[float, Range(ge=0)] = field(
        default=0.0, metadata={"aliases": ("--wd",)}
    )
    """Decoupled weight decay."""
    no_bias_correction: bool = False
    """Do not correct the first moment's bias."""

    def __post_init__(self) -> None:
        check_betas("--adamax-betas", self.adamax_betas)


@dataclass(kw_only=True)
class LambConfig:
    """Options of LAMB."""

    lamb_betas: tuple[float, float] = (0.9, 0.999)
    """Betas of LAMB."""
    lamb_eps: Annotated[float, Range(gt=0)] = 1e-8
    """Epsilon of LAMB."""
    weight_decay: Annotated[float, Range(ge=0)] = field(
        default=0.0, metadata={"aliases": ("--wd",)}
    )
    """Decoupled weight decay; when on, each tensor's step has the trust ratio."""

    def __post_init__(self) -> None:
        check_betas("--lamb-betas", self.lamb_betas)


@dataclass(kw_only=True)
class AdafactorConfig:
    """Options of Adafactor."""

    adafactor_eps: tuple[float, float] = (1e-30, 1e-3)
    """Epsilons: added to the squared gradient, and the floor of the parameters' RMS."""
    clip_threshold: Annotated[float, Range(gt=0)] = 1.0
    """Threshold of the update's root mean square."""
    decay_rate: Annotated[float, Range(lt=0)] = -0.8
    """Decay rate of the second moment: beta2 at step t is 1 - t**decay_rate."""
    beta1: Annotated[float | None, Range(ge=0, lt=1)] = None
    """Beta of a first moment (none by default)."""
    weight_decay: Annotated[float, Range(ge=0)] = field(
        default=0.0, metadata={"aliases": ("--wd",)}
    )
    """Decoupled weight decay."""
    scale_parameter: bool = False
    """Scale the step by the parameters' root mean square."""
    relative_step: bool = False
    """Step size 1/sqrt(step) (capped at 0.01) instead of --lr."""
    warmup_init: bool = False
    """With --relative-step: the cap grows as 1e-6 * step."""

    def __post_init__(self) -> None:
        from seqx.errors import ConfigError

        if self.warmup_init and not self.relative_step:
            raise ConfigError("--warmup-init needs --relative-step (as in fairseq)")


def check_betas(flag: str, betas: tuple[float, float]) -> None:
    """Refuse betas outside [0, 1)."""
    from seqx.errors import ConfigError

    if not all(0 <= b < 1 for b in betas):
        raise ConfigError(f"{flag} {betas}: each beta must be in [0, 1)")


@dataclass(kw_only=True)
class CompositeConfig:
    """Options of the composite optimizer."""

    groups: str = "{}"
    """Each parameter group's optimizer, schedule and rate, as JSON: '{"default":
    {"optimizer": {"_name": "adam"}, "lr_scheduler": {"_name": "fixed"}, "lr": [0.001]}}'."""


@dataclass(kw_only=True)
class PassThroughConfig:
    """The pass_through schedule has no options of its own."""
