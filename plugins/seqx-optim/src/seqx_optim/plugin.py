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
