import json
from pathlib import Path

import pytest
import torch

from seqx.errors import ConfigError
from seqx.optim import Optimizer
from seqx.plugins import load_plugins
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


class TestCosine(LRSchedulerConformance):
    plugin = "seqx_optim.plugin"
    name = "cosine"
    config_overrides = {"warmup_updates": 2, "lr_period_updates": 5, "t_mult": 2.0}


class TestPolynomialDecay(LRSchedulerConformance):
    plugin = "seqx_optim.plugin"
    name = "polynomial_decay"
    config_overrides = {"warmup_updates": 2, "total_num_update": 12, "power": 2.0}


class TestReduceLROnPlateau(LRSchedulerConformance):
    plugin = "seqx_optim.plugin"
    name = "reduce_lr_on_plateau"
    config_overrides = {"warmup_updates": 2, "lr_patience": 1}


class TestStep(LRSchedulerConformance):
    plugin = "seqx_optim.plugin"
    name = "step"
    config_overrides = {"warmup_updates": 2, "lr_deacy_period": 3}


class TestTriStage(LRSchedulerConformance):
    plugin = "seqx_optim.plugin"
    name = "tri_stage"
    config_overrides = {"warmup_steps": 2, "hold_steps": 2, "decay_steps": 4}


class TestTriangular(LRSchedulerConformance):
    plugin = "seqx_optim.plugin"
    name = "triangular"
    config_overrides = {"max_lr": 0.5, "lr_period_updates": 6}


class TestManual(LRSchedulerConformance):
    plugin = "seqx_optim.plugin"
    name = "manual"
    config_overrides = {"epoch2lr": "{'1': 0.1, '2-3': 0.05}", "update2lr": "{'4': 0.02}"}


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


# -- fairseq's own rates (tests/fixtures/fairseq/schedules.json, make_schedules.py) ----------

SCHEDULES = json.loads(
    (Path(__file__).resolve().parents[3] / "tests/fixtures/fairseq/schedules.json").read_text()
)


def _build(name, options, lrs):
    entry = load_plugins().registry.get("lr_scheduler", name)
    cfg = entry.load_config()(**options)
    opt = _opt(lrs[0])
    return opt, entry.load()(cfg, opt, tuple(lrs))


@pytest.mark.parametrize(
    "case",
    SCHEDULES["cases"],
    ids=[f"{c['name']}-{i}" for i, c in enumerate(SCHEDULES["cases"])],
)
def test_rates_are_fairseqs(case):
    options = {k: tuple(v) if isinstance(v, list) else v for k, v in case["options"].items()}
    opt, sched = _build(case["name"], options, case["lr"])
    rates, n = [], 0
    for epoch in range(1, SCHEDULES["epochs"] + 1):
        sched.step_begin_epoch(epoch)
        rates.append(opt.get_lr())
        for _ in range(SCHEDULES["updates_per_epoch"]):
            n += 1
            sched.step_update(n)
            rates.append(opt.get_lr())
        sched.step(epoch, case["valid"][epoch - 1])
        rates.append(opt.get_lr())
    assert rates == pytest.approx(case["rates"], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    "name, options, says",
    [
        ("cosine", {}, "needs --lr-period-updates or --max-update"),
        ("cosine", {"min_lr": 0.5, "max_update": 10}, "must be above --min-lr"),
        ("triangular", {}, "needs --max-lr above --lr"),
        ("tri_stage", {}, "needs --warmup-steps"),
        ("tri_stage", {"phase_ratio": (0.5, 0.5, 0.5), "max_update": 10}, "must add up to 1"),
        ("manual", {"update2lr": "{'5-3': 0.1}"}, "is not 'N', 'A-B'"),
        ("manual", {"epoch2lr": "[0.1]"}, "is not a dict"),
        ("polynomial_decay", {}, "needs --total-num-update or --max-update"),
    ],
)
def test_impossible_options_are_named(name, options, says):
    with pytest.raises(ConfigError, match=says):
        _build(name, options, [0.1])


@pytest.mark.parametrize(
    "config, flag",
    [
        ("ReduceLROnPlateauConfig(lr_shrink=1.5)", "--lr-shrink"),
        ("CosineConfig(lr_shrink=0)", "--lr-shrink"),
        ("StepConfig(lr_decay=2.0)", "--lr-decay"),
        ("StepConfig(lr_deacy_period=0)", "--lr-deacy-period"),
        ("TriangularConfig(max_lr=-1.0)", "--max-lr"),
        ("PolynomialDecayConfig(power=0)", "--power"),
    ],
)
def test_out_of_range_options_name_the_flag(config, flag):
    from seqx.config.ranges import check_ranges
    from seqx_optim import configs

    with pytest.raises(ConfigError, match=flag):
        check_ranges(eval(config, vars(configs)))
