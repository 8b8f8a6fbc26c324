"""Registers seqx-optim's components (light: import strings only)."""

from seqx import hookimpl


@hookimpl
def seqx_register(registry):
    registry.optimizer(
        "adam",
        "seqx_optim.adam:Adam",
        config="seqx_optim.configs:AdamConfig",
        help="Adam with decoupled weight decay (AdamW), fused where available.",
    )
    registry.optimizer(
        "sgd",
        "seqx_optim.sgd:SGD",
        config="seqx_optim.configs:SGDConfig",
        help="Stochastic gradient descent with momentum.",
    )
    registry.optimizer(
        "nag",
        "seqx_optim.nag:NAG",
        config="seqx_optim.configs:NAGConfig",
        help="Nesterov accelerated gradient (fairseq's formulation).",
    )
    registry.lr_scheduler(
        "fixed",
        "seqx_optim.fixed:FixedSchedule",
        config="seqx_optim.configs:FixedConfig",
        help="A learning rate per epoch, optional warmup and annealing.",
    )
    registry.lr_scheduler(
        "inverse_sqrt",
        "seqx_optim.inverse_sqrt:InverseSquareRootSchedule",
        config="seqx_optim.configs:InverseSqrtConfig",
        help="Linear warmup, then decay proportional to 1/sqrt(updates).",
    )
    for name, target, config, help in OPTIMIZERS:
        registry.optimizer(name, target, config=config, help=help)
    for name, target, config, help in SCHEDULES:
        registry.lr_scheduler(name, target, config=config, help=help)


OPTIMIZERS = (
    (
        "adadelta",
        "seqx_optim.torch_wrapped:Adadelta",
        "seqx_optim.configs:AdadeltaConfig",
        "Adadelta (torch's), --adadelta-rho and --adadelta-eps.",
    ),
    (
        "adagrad",
        "seqx_optim.torch_wrapped:Adagrad",
        "seqx_optim.configs:AdagradConfig",
        "Adagrad (torch's).",
    ),
    (
        "adamax",
        "seqx_optim.adamax:Adamax",
        "seqx_optim.configs:AdamaxConfig",
        "fairseq's Adamax: --adamax-betas, --adamax-eps, --no-bias-correction.",
    ),
    (
        "lamb",
        "seqx_optim.lamb:Lamb",
        "seqx_optim.configs:LambConfig",
        "LAMB as apex's FusedLAMB computes it (apex's kernel on CUDA when importable).",
    ),
    (
        "adafactor",
        "seqx_optim.adafactor:Adafactor",
        "seqx_optim.configs:AdafactorConfig",
        "fairseq's Adafactor: factored second moments, clipped updates, relative steps.",
    ),
    (
        "composite",
        "seqx_optim.composite:CompositeOptimizer",
        "seqx_optim.configs:CompositeConfig",
        "One optimizer and schedule per parameter group (--groups JSON).",
    ),
    (
        "cpu_adam",
        "seqx_optim.adam:CPUAdam",
        "seqx_optim.configs:CPUAdamConfig",
        "fairseq's cpu_adam name for AdamW, on torch's fused CPU kernel.",
    ),
)
"""fairseq's other optimizers: (name, target, config, help)."""

SCHEDULES = (
    (
        "cosine",
        "seqx_optim.cosine:CosineSchedule",
        "seqx_optim.configs:CosineConfig",
        "Warmup, then cosine periods with restarts (--t-mult, --lr-shrink).",
    ),
    (
        "polynomial_decay",
        "seqx_optim.polynomial_decay:PolynomialDecaySchedule",
        "seqx_optim.configs:PolynomialDecayConfig",
        "Warmup, then polynomial decay to --end-learning-rate at --total-num-update.",
    ),
    (
        "reduce_lr_on_plateau",
        "seqx_optim.reduce_lr_on_plateau:ReduceLROnPlateauSchedule",
        "seqx_optim.configs:ReduceLROnPlateauConfig",
        "Shrink the rate by --lr-shrink when the validation metric stops improving.",
    ),
    (
        "step",
        "seqx_optim.step:StepSchedule",
        "seqx_optim.configs:StepConfig",
        "Warmup, then multiply the rate by --lr-decay every --lr-deacy-period updates.",
    ),
    (
        "tri_stage",
        "seqx_optim.tri_stage:TriStageSchedule",
        "seqx_optim.configs:TriStageConfig",
        "Linear warmup, hold, exponential decay, then a floor.",
    ),
    (
        "triangular",
        "seqx_optim.triangular:TriangularSchedule",
        "seqx_optim.configs:TriangularConfig",
        "The rate cycles linearly between --lr and --max-lr.",
    ),
    (
        "pass_through",
        "seqx_optim.composite:PassThroughSchedule",
        "seqx_optim.configs:PassThroughConfig",
        "Steps the schedules of --optimizer composite's groups.",
    ),
    (
        "manual",
        "seqx_optim.manual:ManualSchedule",
        "seqx_optim.configs:ManualConfig",
        "Rates given per epoch (--epoch2lr) and per update (--update2lr).",
    ),
)
"""fairseq's other schedules: (name, target, config, help)."""
