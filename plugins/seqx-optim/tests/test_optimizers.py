import ast
import json
from pathlib import Path

import pytest
import torch

from seqx.plugins import load_plugins
from seqx.testing import OptimizerConformance, PluginConformance
from seqx_optim.configs import AdamConfig, NAGConfig
from seqx_optim.nag import NAG


class TestPlugin(PluginConformance):
    plugin = "seqx_optim.plugin"


class TestAdam(OptimizerConformance):
    plugin = "seqx_optim.plugin"
    name = "adam"
    lr = 0.01
    config_overrides = {"adam_betas": (0.9, 0.98), "weight_decay": 0.01}


class TestSGD(OptimizerConformance):
    plugin = "seqx_optim.plugin"
    name = "sgd"
    config_overrides = {"momentum": 0.9}


class TestNAG(OptimizerConformance):
    plugin = "seqx_optim.plugin"
    name = "nag"
    lr = 0.01


class TestAdadelta(OptimizerConformance):
    plugin = "seqx_optim.plugin"
    name = "adadelta"
    lr = 1.0


class TestAdagrad(OptimizerConformance):
    plugin = "seqx_optim.plugin"
    name = "adagrad"
    lr = 0.1


class TestAdamax(OptimizerConformance):
    plugin = "seqx_optim.plugin"
    name = "adamax"
    lr = 0.01
    config_overrides = {"weight_decay": 0.01}


class TestLamb(OptimizerConformance):
    plugin = "seqx_optim.plugin"
    name = "lamb"
    lr = 0.01
    config_overrides = {"weight_decay": 0.01}


class TestAdafactor(OptimizerConformance):
    plugin = "seqx_optim.plugin"
    name = "adafactor"
    lr = 0.01
    config_overrides = {"beta1": 0.9}


class TestCPUAdam(OptimizerConformance):
    plugin = "seqx_optim.plugin"
    name = "cpu_adam"
    lr = 0.01


def test_lamb_without_weight_decay_is_adam_on_small_gradients():
    from seqx_optim.configs import LambConfig
    from seqx_optim.lamb import Lamb

    torch.manual_seed(0)
    a = torch.nn.Parameter(torch.randn(6) * 0.1)
    b = torch.nn.Parameter(a.detach().clone())
    ours = Lamb(LambConfig(lamb_betas=(0.9, 0.98), lamb_eps=1e-6), [a], 0.01)
    ref = torch.optim.Adam([b], lr=0.01, betas=(0.9, 0.98), eps=1e-6)
    for _ in range(4):
        for p, opt in ((a, ours), (b, ref)):
            opt.zero_grad()
            (0.01 * p * p).sum().backward()  # global norm below 1: no clipping
            opt.step()
    torch.testing.assert_close(a, b)


def test_lamb_scales_each_step_by_the_trust_ratio():
    from seqx_optim.configs import LambConfig
    from seqx_optim.lamb import Lamb

    p = torch.nn.Parameter(torch.tensor([3.0, 4.0]))
    opt = Lamb(LambConfig(weight_decay=0.1), [p], 0.01)
    p.grad = torch.tensor([0.6, 0.0])  # norm 0.6: no clipping
    opt.step()
    # first step: m_hat = g, v_hat = g*g -> adam part = sign(g) (eps aside) = [1, 0]
    update = torch.tensor([1.0, 0.0]) + 0.1 * torch.tensor([3.0, 4.0])
    ratio = 5.0 / float(update.norm())
    torch.testing.assert_close(p.detach(), torch.tensor([3.0, 4.0]) - 0.01 * ratio * update)


@pytest.mark.parametrize(
    "build, says",
    [
        ("AdamConfig(adam_betas=(0.9, 1.0))", "--adam-betas"),
        ("AdamaxConfig(adamax_betas=(-0.1, 0.9))", "--adamax-betas"),
        ("LambConfig(lamb_betas=(0.9, 1.5))", "--lamb-betas"),
        ("AdafactorConfig(warmup_init=True)", "--warmup-init needs --relative-step"),
    ],
)
def test_impossible_optimizer_options_name_the_flag(build, says):
    from seqx.errors import ConfigError
    from seqx_optim import configs

    with pytest.raises(ConfigError, match=says):
        eval(build, vars(configs))


def test_adam_is_adamw():
    from seqx_optim.adam import Adam

    torch.manual_seed(0)
    a = torch.nn.Parameter(torch.randn(5))
    b = torch.nn.Parameter(a.detach().clone())
    ours = Adam(AdamConfig(adam_betas=(0.9, 0.98), adam_eps=1e-6, weight_decay=0.1), [a], 0.01)
    ref = torch.optim.AdamW([b], lr=0.01, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.1)
    for step in range(5):
        for p, opt in ((a, ours), (b, ref)):
            opt.zero_grad()
            (p * p * (step + 1)).sum().backward()
            opt.step()
    torch.testing.assert_close(a, b)
    assert ours.kernel in ("fused", "foreach", "apex")


def test_nag_follows_fairseqs_update_by_hand():
    p = torch.nn.Parameter(torch.tensor([1.0]))
    opt = NAG(NAGConfig(momentum=0.5), [p], lr=0.1)
    # step 1: g = 2p = 2; buf = 0 -> p = 1 - 1.5*0.1*2 = 0.7; buf = -0.1*2 = -0.2
    opt.zero_grad()
    (p * p).sum().backward()
    opt.step()
    assert float(p) == pytest.approx(0.7)
    # step 2 with lr 0.05 (lr_correct 0.5): g = 1.4
    # p = 0.7 + 0.25*0.5*(-0.2) - 1.5*0.05*1.4 = 0.7 - 0.025 - 0.105 = 0.57
    opt.set_lr(0.05)
    opt.zero_grad()
    (p * p).sum().backward()
    opt.step()
    assert float(p) == pytest.approx(0.57)


# -- fairseq's own steps (tests/fixtures/fairseq/optimizers.json, make_optimizers.py) --------

OPTIMIZERS = json.loads(
    (Path(__file__).resolve().parents[3] / "tests/fixtures/fairseq/optimizers.json").read_text()
)


def _options(options: dict) -> dict:
    out = {}
    for key, value in options.items():
        out[key] = ast.literal_eval(value) if isinstance(value, str) else value
    return out


@pytest.mark.parametrize(
    "case",
    OPTIMIZERS["cases"],
    ids=[f"{c['name']}-{i}" for i, c in enumerate(OPTIMIZERS["cases"])],
)
def test_steps_are_fairseqs(case):
    entry = load_plugins().registry.get("optimizer", case["name"])
    cfg = entry.load_config()(**_options(case["options"]))
    g = torch.Generator().manual_seed(0)
    w = torch.nn.Parameter(torch.randn(3, 4, generator=g))
    b = torch.nn.Parameter(torch.randn(4, generator=g))
    x, y = torch.randn(5, 3, generator=g), torch.randn(5, 4, generator=g)
    opt = entry.load()(cfg, [w, b], case["lrs"][0])
    for lr, expected in zip(case["lrs"], case["params"], strict=True):
        opt.set_lr(lr)
        opt.zero_grad()
        ((x @ w + b - y) ** 2).mean().backward()
        opt.step()
        for p, want in zip((w, b), expected, strict=True):
            torch.testing.assert_close(
                p.detach().flatten(), torch.tensor(want), rtol=1e-5, atol=1e-6
            )


# -- composite and pass_through ---------------------------------------------------------------

GROUPS = json.dumps(
    {
        "default": {
            "optimizer": {"_name": "adam", "adam_betas": [0.9, 0.98]},
            "lr_scheduler": {"_name": "fixed", "warmup_updates": 2},
            "lr": [0.01],
        },
        "emb": {
            "optimizer": {"_name": "sgd", "momentum": 0.5},
            "lr_scheduler": {"_name": "fixed"},
            "lr": [0.1],
        },
    }
)


class TestComposite(OptimizerConformance):
    plugin = "seqx_optim.plugin"
    name = "composite"
    lr = 0.01
    config_overrides = {"groups": json.dumps({"default": {"optimizer": {"_name": "adam"}}})}


def _composite(groups=GROUPS):
    from seqx_optim.composite import CompositeOptimizer, PassThroughSchedule
    from seqx_optim.configs import CompositeConfig, PassThroughConfig

    torch.manual_seed(0)
    a = torch.nn.Parameter(torch.randn(4))
    b = torch.nn.Parameter(torch.randn(3))
    b.param_group = "emb"
    opt = CompositeOptimizer(CompositeConfig(groups=groups), [a, b], 0.5)
    return a, b, opt, PassThroughSchedule(PassThroughConfig(), opt, (0.5,))


def test_each_group_steps_with_its_own_optimizer_and_schedule():
    a, b, opt, sched = _composite()
    ref_b = torch.nn.Parameter(b.detach().clone())
    sgd = torch.optim.SGD([ref_b], lr=0.1, momentum=0.5)
    start_a = a.detach().clone()
    sched.step_begin_epoch(1)
    for n in range(1, 4):
        for p in (a, b, ref_b):
            p.grad = None
        ((a * a).sum() + (b * b).sum()).backward()
        (ref_b * ref_b).sum().backward()
        opt.step()
        sgd.step()
        sched.step_update(n)
    torch.testing.assert_close(b, ref_b)  # the emb group: SGD at 0.1, its own schedule
    assert not torch.equal(a, start_a)
    assert [g["lr"] for g in opt.param_groups] == pytest.approx([0.01, 0.1])
    assert set(sched.state_dict()) == {"default", "emb"}
    assert set(opt.state_dict()) == {"default", "emb"}


def test_composite_refuses_what_does_not_fit():
    from seqx.errors import ConfigError

    with pytest.raises(ConfigError, match="is not JSON"):
        _composite("{oops")
    with pytest.raises(ConfigError, match="but the model's parameters are in"):
        _composite(json.dumps({"default": {"optimizer": {"_name": "adam"}}}))
    with pytest.raises(ConfigError, match="names optimizer 'adamw'"):
        _composite(
            json.dumps(
                {
                    "default": {"optimizer": {"_name": "adamw"}},
                    "emb": {"optimizer": {"_name": "sgd"}},
                }
            )
        )


def test_pass_through_needs_a_composite_optimizer():
    from seqx.errors import ConfigError
    from seqx_optim.adam import Adam
    from seqx_optim.composite import PassThroughSchedule
    from seqx_optim.configs import AdamConfig, PassThroughConfig

    opt = Adam(AdamConfig(), [torch.nn.Parameter(torch.zeros(2))], 0.1)
    with pytest.raises(ConfigError, match="pass_through steps the schedules"):
        PassThroughSchedule(PassThroughConfig(), opt, (0.1,))
