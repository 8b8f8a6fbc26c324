import pytest
import torch

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
