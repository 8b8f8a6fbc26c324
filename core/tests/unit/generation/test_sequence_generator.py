import itertools
import math

import pytest
import torch

from seqx.data.dictionary import Dictionary
from seqx.data.language_pair_dataset import collate
from seqx.generation.config import GenerationConfig
from seqx.generation.sequence_generator import SequenceGenerator
from seqx.models import Encoder, EncoderDecoderModel, IncrementalDecoder

V_WORDS = 3  # a, b, c


def _dict():
    d = Dictionary()
    for w in "abc"[:V_WORDS]:
        d.add_symbol(w)
    return d


class ToyEncoder(Encoder):
    def forward(self, src_tokens, src_lengths=None, **kwargs):
        # the "class" of a sentence: its last non-eos token
        return {"cls": src_tokens[:, -2].clone()}


class ToyDecoder(IncrementalDecoder):
    """p(next | previous token, running sum of tokens mod 3, sentence class): a fixed table."""

    def __init__(self, d, seed=0):
        super().__init__(d)
        g = torch.Generator().manual_seed(seed)
        v = len(d)
        self.table = torch.randn(v, 3, v, v, generator=g) * 2
        self.key = f"toy{seed}"

    def extract_features(
        self, prev_output_tokens, encoder_out=None, incremental_state=None, **kwargs
    ):
        cls = encoder_out["cls"]
        if incremental_state is not None:
            cache = incremental_state.setdefault(self.key, {})
            last = prev_output_tokens[:, -1]
            total = cache.get("sum")
            total = last.clone() if total is None else total + last
            cache["sum"] = total
            logits = self.table[last, total % 3, cls].unsqueeze(1)
        else:
            cum = prev_output_tokens.cumsum(1)
            logits = self.table[prev_output_tokens, cum % 3, cls.unsqueeze(1)]
        return logits, {}

    def output_layer(self, features, **kwargs):
        return features


class Toy(EncoderDecoderModel):
    pass


def _model(seed=0):
    d = _dict()
    return Toy(ToyEncoder(d), ToyDecoder(d, seed)), d


def _sample(d, classes):
    samples = [
        {"id": i, "source": torch.tensor([c, c, d.eos()]), "target": None}
        for i, c in enumerate(classes)
    ]
    return collate(samples, d.pad(), d.eos())


def _brute_force(model, d, cls, max_len, lenpen=1.0, min_len=1):
    allowed = [i for i in range(len(d)) if i != d.pad()]
    enc = {"cls": torch.tensor([cls])}
    best = (-math.inf, None)
    for length in range(1, max_len + 2):
        for words in itertools.product([i for i in allowed if i != d.eos()], repeat=length - 1):
            seq = list(words) + [d.eos()]
            if length - 1 < min_len:
                continue
            prev = torch.tensor([[d.eos()] + seq[:-1]])
            logits = model.decoder(prev, encoder_out=enc)[0]
            lp = torch.log_softmax(logits, -1)[0]
            total = float(sum(lp[t, tok] for t, tok in enumerate(seq)))
            score = total / length**lenpen
            if score > best[0]:
                best = (score, seq)
    return best


@pytest.mark.parametrize("lenpen", [1.0, 0.5])
def test_exhaustive_beam_finds_the_best_sequence(lenpen):
    model, d = _model()
    gen = SequenceGenerator(d, GenerationConfig(beam=200, max_len_b=3, lenpen=lenpen))
    for cls in (4, 5, 6):
        hypos = gen.generate([model], _sample(d, [cls]))[0]
        score, seq = _brute_force(model, d, cls, max_len=3, lenpen=lenpen)
        assert hypos[0]["tokens"].tolist() == seq
        assert hypos[0]["score"] == pytest.approx(score, abs=1e-5)


def test_batch_equals_one_sentence_at_a_time():
    model, d = _model(seed=1)
    gen = SequenceGenerator(d, GenerationConfig(beam=3, max_len_b=6, nbest=3))
    classes = [4, 5, 6, 4, 6]
    together = gen.generate([model], _sample(d, classes))
    for i, cls in enumerate(classes):
        alone = gen.generate([model], _sample(d, [cls]))[0]
        got = [(h["tokens"].tolist(), round(h["score"], 5)) for h in together[i]]
        want = [(h["tokens"].tolist(), round(h["score"], 5)) for h in alone]
        assert got == want


def test_hypothesis_fields_and_limits():
    model, d = _model(seed=2)
    gen = SequenceGenerator(d, GenerationConfig(beam=4, nbest=4, max_len_b=4, min_len=2))
    hypos = gen.generate([model], _sample(d, [5, 6]))
    for sent in hypos:
        assert len(sent) == 4
        scores = [h["score"] for h in sent]
        assert scores == sorted(scores, reverse=True)
        for h in sent:
            tokens = h["tokens"]
            assert tokens[-1] == d.eos() and d.eos() not in tokens[:-1].tolist()
            assert 3 <= len(tokens) <= 5
            total = float(h["positional_scores"].sum())
            assert h["score"] == pytest.approx(total / len(tokens), abs=1e-5)


def test_unk_penalty_and_no_repeat_ngram():
    model, d = _model(seed=3)
    gen = SequenceGenerator(d, GenerationConfig(beam=3, max_len_b=5, unkpen=100.0))
    for h in gen.generate([model], _sample(d, [4, 5, 6]))[0]:
        assert d.unk() not in h["tokens"].tolist()
    gen = SequenceGenerator(d, GenerationConfig(beam=3, max_len_b=5, no_repeat_ngram_size=1))
    for sent in gen.generate([model], _sample(d, [4, 5, 6])):
        for h in sent:
            words = h["tokens"][:-1].tolist()
            assert len(words) == len(set(words))


def test_prefix_tokens_are_forced():
    model, d = _model(seed=4)
    gen = SequenceGenerator(d, GenerationConfig(beam=2, max_len_b=4))
    prefix = torch.tensor([[6, 6], [5, 4]])
    hypos = gen.generate([model], _sample(d, [4, 5]), prefix_tokens=prefix)
    assert hypos[0][0]["tokens"][:2].tolist() == [6, 6]
    assert hypos[1][0]["tokens"][:2].tolist() == [5, 4]


def test_ensemble_of_identical_models_equals_one():
    a, d = _model(seed=5)
    b, _ = _model(seed=5)
    gen = SequenceGenerator(d, GenerationConfig(beam=3, max_len_b=5))
    one = gen.generate([a], _sample(d, [4, 6]))
    two = gen.generate([a, b], _sample(d, [4, 6]))
    for x, y in zip(one, two):
        assert x[0]["tokens"].tolist() == y[0]["tokens"].tolist()
        assert x[0]["score"] == pytest.approx(y[0]["score"], abs=1e-5)


def test_greedy_sampling_equals_greedy_search():
    model, d = _model(seed=6)
    greedy = SequenceGenerator(d, GenerationConfig(beam=1, max_len_b=5))
    sampled = SequenceGenerator(
        d, GenerationConfig(beam=1, max_len_b=5, sampling=True, sampling_topk=1)
    )
    a = greedy.generate([model], _sample(d, [4, 5, 6]))
    b = sampled.generate([model], _sample(d, [4, 5, 6]))
    assert [h[0]["tokens"].tolist() for h in a] == [h[0]["tokens"].tolist() for h in b]


def test_sampling_draws_different_hypotheses():
    model, d = _model(seed=7)
    torch.manual_seed(0)
    gen = SequenceGenerator(
        d, GenerationConfig(beam=4, nbest=4, max_len_b=6, sampling=True, temperature=2.0)
    )
    hyps = gen.generate([model], _sample(d, [5]))[0]
    assert len({tuple(h["tokens"].tolist()) for h in hyps}) > 1


def test_nbest_larger_than_beam_is_rejected():
    _, d = _model()
    with pytest.raises(ValueError, match="--nbest 3 is more than --beam 2"):
        SequenceGenerator(d, GenerationConfig(beam=2, nbest=3))
