import pytest
import torch

from seqx.errors import ConfigError
from seqx.optim import Optimizer
from seqx.testing import LRSchedulerConformance
from seqx_optim.configs import FixedConfig, InverseSqrtConfig
from seqx_optim.fixed import FixedSchedule
from seqx_optim.inverse_sqrt import InverseSquareRootSchedule


class TestFixed(LRSchedulerConformance):
    plugin = "seqx_optim.plugin"
    name = "fixed"
    lrs = (0.25, 0.1)
    config_overrides = {"force_anneal": 3, "lr_shrink": 0.5, "warmup_updates": 4}


class TestInverseSqrt(LRSchedulerConformance):
    plugin = "seqx_optim.plugin"
    name = "inverse_sqrt"
    config_overrides = {"warmup_updates": 4}


def _opt(lr):
    class Plain(Optimizer):
        def __init__(self):
            super().__init__(None, [torch.nn.Parameter(torch.zeros(1))], lr)
            self._optimizer = torch.optim.SGD(self.params, lr=lr)

    return Plain()


def test_inverse_sqrt_golden_values():
    opt = _opt(1e-3)
    s = InverseSquareRootSchedule(InverseSqrtConfig(warmup_updates=1000), opt, (1e-3,))
    assert opt.get_lr() == 0.0
    assert s.step_update(500) == pytest.approx(5e-4)
    assert s.step_update(1000) == pytest.approx(1e-3)
    assert s.step_update(4000) == pytest.approx(5e-4)
    s2 = InverseSquareRootSchedule(
        InverseSqrtConfig(warmup_updates=10, warmup_init_lr=1e-7), _opt(5e-4), (5e-4,)
    )
    assert s2.step_update(5) == pytest.approx(1e-7 + 5 * (5e-4 - 1e-7) / 10)


def test_inverse_sqrt_takes_one_lr():
    with pytest.raises(ConfigError, match="takes one --lr"):
        InverseSquareRootSchedule(InverseSqrtConfig(), _opt(0.1), (0.1, 0.2))


def test_fixed_schedule_per_epoch_and_annealing():
    opt = _opt(0.25)
    s = FixedSchedule(FixedConfig(force_anneal=3, lr_shrink=0.5), opt, (0.25, 0.1))
    assert [s.step_begin_epoch(e) for e in (1, 2, 3, 4)] == pytest.approx(
        [0.25, 0.1, 0.1 * 0.5, 0.1 * 0.25]
    )


def test_fixed_warmup():
    opt = _opt(1.0)
    s = FixedSchedule(FixedConfig(warmup_updates=4), opt, (1.0,))
    assert opt.get_lr() == pytest.approx(0.25)
    assert [s.step_update(n) for n in (1, 2, 3, 4, 9)] == pytest.approx([0.5, 0.75, 1.0, 1.0, 1.0])
