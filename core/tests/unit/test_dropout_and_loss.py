import pytest
import torch

from seqx.criterions.fused import smoothed_cross_entropy
from seqx.criterions.label_smoothed_cross_entropy import label_smoothed_nll_loss
from seqx.models import dropout


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.3])
def test_fused_smoothed_loss_equals_fairseqs_formula(eps):
    torch.manual_seed(0)
    logits = torch.randn(37, 11, dtype=torch.float64, requires_grad=True)
    target = torch.randint(0, 11, (37,))
    want_loss, want_nll = label_smoothed_nll_loss(torch.log_softmax(logits, -1), target, eps)
    (gw,) = torch.autograd.grad(want_loss * 0.7, logits)
    x = logits.detach().float().requires_grad_()
    loss, nll = smoothed_cross_entropy(x, target, eps)
    (g,) = torch.autograd.grad(loss * 0.7, x)
    assert float(loss) == pytest.approx(float(want_loss), rel=1e-5)
    assert float(nll) == pytest.approx(float(want_nll), rel=1e-5)
    torch.testing.assert_close(g.double(), gw, atol=1e-6, rtol=1e-5)


def test_fused_loss_from_bf16_logits_runs_in_float32():
    logits = torch.randn(8, 5).bfloat16().requires_grad_()
    loss, _ = smoothed_cross_entropy(logits, torch.arange(8) % 5, 0.1)
    loss.backward()
    assert loss.dtype == torch.float32 and logits.grad.dtype == torch.bfloat16


def test_dropout_semantics():
    x = torch.ones(200, 500, requires_grad=True)
    torch.manual_seed(0)
    y = dropout(x, 0.2, training=True)
    kept = y.ne(0)
    assert 0.78 < kept.float().mean() < 0.82
    torch.testing.assert_close(y[kept], torch.full_like(y[kept], 1 / 0.8))
    y.sum().backward()
    torch.testing.assert_close(x.grad, kept.float() / 0.8)
    assert dropout(x, 0.2, training=False) is x
    assert dropout(x, 0.0, training=True) is x
