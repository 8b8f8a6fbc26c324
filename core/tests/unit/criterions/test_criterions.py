import math

import pytest
import torch
from torch import nn

from seqx.criterions.configs import CrossEntropyConfig, LabelSmoothedCrossEntropyConfig
from seqx.criterions.cross_entropy import CrossEntropyCriterion
from seqx.criterions.label_smoothed_cross_entropy import LabelSmoothedCrossEntropyCriterion
from seqx.models import Decoder, Encoder, EncoderDecoderModel
from seqx.testing.tiny import TinyTask, tiny_batch


class BagEncoder(Encoder):
    def __init__(self, d):
        super().__init__(d)
        self.embed = nn.Embedding(len(d), 8, padding_idx=d.pad())

    def forward(self, src_tokens, src_lengths=None, **kwargs):
        return {"mean": self.embed(src_tokens).mean(1)}


class BagDecoder(Decoder):
    def __init__(self, d):
        super().__init__(d)
        self.embed = nn.Embedding(len(d), 8, padding_idx=d.pad())
        self.out = nn.Linear(8, len(d))

    def extract_features(self, prev_output_tokens, encoder_out=None, **kwargs):
        return torch.tanh(self.embed(prev_output_tokens) + encoder_out["mean"].unsqueeze(1)), {}

    def output_layer(self, features, **kwargs):
        return self.out(features)


class Plain(EncoderDecoderModel):
    pass


class CustomForward(EncoderDecoderModel):
    """Overrides forward: the criterions must fall back to the generic path."""

    def forward(self, src_tokens, src_lengths, prev_output_tokens, **kwargs):
        return super().forward(src_tokens, src_lengths, prev_output_tokens, **kwargs)


def _setup(cls=Plain):
    torch.manual_seed(0)
    task = TinyTask(12)
    d = task.target_dictionary
    model = cls(BagEncoder(d), BagDecoder(d))
    batch = tiny_batch(task, [4, 6, 3], tgt_length=5, seed=1)
    batch["target"][0, -2:] = d.pad()  # some padding in the targets
    batch["ntokens"] = int(batch["target"].ne(d.pad()).sum())
    return task, model, batch


def _manual(model, batch, pad, eps):
    logits = model(**batch["net_input"])[0].detach()
    lp = torch.log_softmax(logits.double(), -1)
    target = batch["target"]
    mask = target.ne(pad)
    nll = -lp.gather(-1, target.unsqueeze(-1)).squeeze(-1)[mask].sum()
    smooth = -lp.sum(-1)[mask].sum()
    eps_i = eps / (lp.size(-1) - 1)
    return float((1 - eps - eps_i) * nll + eps_i * smooth), float(nll)


@pytest.mark.parametrize("eps", [0.0, 0.1])
def test_label_smoothed_loss_golden(eps):
    task, model, batch = _setup()
    crit = LabelSmoothedCrossEntropyCriterion(
        LabelSmoothedCrossEntropyConfig(label_smoothing=eps, report_accuracy=True), task
    )
    loss, sample_size, log = crit(model, batch)
    want_loss, want_nll = _manual(model, batch, task.target_dictionary.pad(), eps)
    assert float(loss.detach()) == pytest.approx(want_loss, rel=1e-5)
    assert float(log["nll_loss"]) == pytest.approx(want_nll, rel=1e-5)
    assert sample_size == batch["ntokens"] == 13
    stats = crit.reduce_metrics([log])
    assert stats["loss"] == pytest.approx(want_loss / 13 / math.log(2), rel=1e-5)
    assert stats["ppl"] == pytest.approx(2 ** stats["nll_loss"])
    assert 0 <= stats["accuracy"] <= 100 and int(log["total"]) == 13


def test_fast_path_equals_generic_path():
    for crit_cls, cfg in (
        (LabelSmoothedCrossEntropyCriterion, LabelSmoothedCrossEntropyConfig(label_smoothing=0.2)),
        (CrossEntropyCriterion, CrossEntropyConfig()),
    ):
        results = []
        for cls in (Plain, CustomForward):
            task, model, batch = _setup(cls)
            loss, _, _ = crit_cls(cfg, task)(model, batch)
            loss.backward()
            results.append((float(loss.detach()), [p.grad.clone() for p in model.parameters()]))
        assert results[0][0] == pytest.approx(results[1][0], rel=1e-5)
        for a, b in zip(results[0][1], results[1][1]):
            torch.testing.assert_close(a, b, atol=1e-6, rtol=1e-5)


def test_cross_entropy_and_sentence_avg():
    task, model, batch = _setup()
    crit = CrossEntropyCriterion(CrossEntropyConfig(sentence_avg=True), task)
    loss, sample_size, log = crit(model, batch)
    _, want_nll = _manual(model, batch, task.target_dictionary.pad(), 0.0)
    assert float(loss.detach()) == pytest.approx(want_nll, rel=1e-5)
    assert sample_size == 3
    stats = crit.reduce_metrics([log])
    assert stats["loss"] == pytest.approx(want_nll / 3 / math.log(2), rel=1e-5)
    assert stats["nll_loss"] == pytest.approx(want_nll / 13 / math.log(2), rel=1e-5)


def test_bad_label_smoothing():
    from seqx.errors import ConfigError

    with pytest.raises(ConfigError, match="--label-smoothing must be in"):
        LabelSmoothedCrossEntropyConfig(label_smoothing=1.5)
