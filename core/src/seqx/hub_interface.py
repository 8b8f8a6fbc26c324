"""``GeneratorHubInterface``: fairseq's hub API over loaded models.

What ``from_pretrained(...)`` returns: ``translate``/``sample`` raw sentences, ``generate``
from token ids, ``score`` sentences with a language model, and the steps in between
(``encode``/``decode``, ``tokenize``/``apply_bpe``/``binarize`` and back). It is a
``torch.nn.Module`` holding the models, so ``.cuda()``, ``.cpu()`` and ``.half()`` move
and cast them.
"""

from __future__ import annotations

import dataclasses
from typing import Any, overload

import torch
from torch import Tensor, nn

from seqx.config.fields import config_fields
from seqx.data.language_pair_dataset import collate
from seqx.data.text_pipeline import TextPipeline
from seqx.errors import SeqxError
from seqx.generation.config import GenerationConfig
from seqx.generation.sequence_generator import SequenceGenerator
from seqx.hub import Loaded
from seqx.models.base_model import EncoderDecoderModel

BATCH = 64
"""Sentences decoded together by ``generate``."""


class GeneratorHubInterface(nn.Module):
    """Translate, sample and score with loaded models, as fairseq's hub interface does."""

    def __init__(self, loaded: Loaded, source: TextPipeline, target: TextPipeline) -> None:
        super().__init__()
        self.models = nn.ModuleList(loaded.models)
        self.task = loaded.task
        self.cfg = loaded.run_config
        self.src_dict = loaded.task.source_dictionary
        self.tgt_dict = loaded.task.target_dictionary
        self.source, self.target = source, target
        self.register_buffer("_float_tensor", torch.tensor([0.0]), persistent=False)

    @property
    def device(self) -> torch.device:
        """Where the models are."""
        buffer = self._float_tensor
        assert isinstance(buffer, Tensor)
        return buffer.device

    # -- text <-> ids -----------------------------------------------------------------

    def tokenize(self, sentence: str) -> str:
        """Raw text to tokens (the tokenizer's ``encode``)."""
        tok = self.source.tokenizer
        return tok.encode(sentence) if tok is not None else sentence

    def detokenize(self, sentence: str) -> str:
        """Tokens back to raw text."""
        tok = self.target.tokenizer
        return tok.decode(sentence) if tok is not None else sentence

    def apply_bpe(self, sentence: str) -> str:
        """Tokens to subword units."""
        bpe = self.source.bpe
        return bpe.encode(sentence) if bpe is not None else sentence

    def remove_bpe(self, sentence: str) -> str:
        """Subword units back to tokens."""
        bpe = self.target.bpe
        return bpe.decode(sentence) if bpe is not None else sentence

    def binarize(self, sentence: str) -> Tensor:
        """Subword units to ids of the source dictionary, with the end of sentence."""
        return self.src_dict.encode_line(sentence, add_if_not_exist=False).long()

    def string(self, tokens: Tensor) -> str:
        """Ids of the target dictionary to subword units."""
        return str(self.tgt_dict.string(tokens))

    def encode(self, sentence: str) -> Tensor:
        """Raw text to source ids: tokenize, apply BPE, binarize."""
        return self.binarize(self.apply_bpe(self.tokenize(sentence)))

    def decode(self, tokens: Tensor) -> str:
        """Target ids to raw text: string, remove BPE, detokenize."""
        return self.detokenize(self.remove_bpe(self.string(tokens)))

    # -- decoding ---------------------------------------------------------------------

    @overload
    def translate(
        self, sentences: str, beam: int = 5, verbose: bool = False, **kwargs: Any
    ) -> str: ...
    @overload
    def translate(
        self, sentences: list[str], beam: int = 5, verbose: bool = False, **kwargs: Any
    ) -> list[str]: ...
    def translate(self, sentences: Any, beam: int = 5, verbose: bool = False, **kwargs: Any) -> Any:
        """The best translation of each sentence (a string for a string)."""
        return self.sample(sentences, beam, verbose, **kwargs)

    def sample(self, sentences: Any, beam: int = 1, verbose: bool = False, **kwargs: Any) -> Any:
        """The best hypothesis of each sentence, decoded (a string for a string);
        ``kwargs`` are options of the search (``lenpen``, ``sampling``, ``sampling_topk``)."""
        if isinstance(sentences, str):
            return self.sample([sentences], beam, verbose, **kwargs)[0]
        tokenized = [self.encode(s) for s in sentences]
        batched = self.generate(tokenized, beam, verbose, **kwargs)
        return [self.decode(hypos[0]["tokens"]) for hypos in batched]

    def generate(
        self,
        tokenized_sentences: list[Tensor],
        beam: int = 5,
        verbose: bool = False,
        skip_invalid_size_inputs: bool = False,
        **kwargs: Any,
    ) -> list[list[dict[str, Any]]]:
        """Hypotheses (``tokens``, ``score``, ``positional_scores``) per source, in order."""
        models = self._encoder_decoders()
        generator = SequenceGenerator(self.tgt_dict, self._search(beam, kwargs))
        max_src = min(m.max_positions()[0] or 10**9 for m in models)
        out: dict[int, list[dict[str, Any]]] = {}
        samples = []
        for i, tokens in enumerate(tokenized_sentences):
            if len(tokens) > max_src and not skip_invalid_size_inputs:
                raise SeqxError(
                    f"sentence {i} has {len(tokens)} tokens, more than the model's {max_src} "
                    "source positions; shorten it or pass skip_invalid_size_inputs=True"
                )
            if len(tokens) <= max_src:
                samples.append({"id": i, "source": tokens.long(), "target": None})
        for start in range(0, len(samples), BATCH):
            batch = self._collate(samples[start : start + BATCH])
            hypos = self.task.inference_step(generator, models, batch)
            for i, sid in enumerate(batch["id"].tolist()):
                out[sid] = [{k: _to_cpu(v) for k, v in h.items()} for h in hypos[i]]
                if verbose:
                    print(f"S\t{self.src_dict.string(samples[start + i]['source'])}")
                    print(f"H\t{out[sid][0]['score']}\t{self.decode(out[sid][0]['tokens'])}")
        return [out[i] for i in sorted(out)]

    def score(self, sentences: Any, **kwargs: Any) -> Any:
        """A language model's scores of each sentence: ``tokens``, ``positional_scores``
        (log-probabilities, base e) and ``score`` (their mean)."""
        if isinstance(sentences, str):
            return self.score([sentences], **kwargs)[0]
        from seqx.generation.eval_lm import token_log_probs

        if any(isinstance(m, EncoderDecoderModel) for m in self.models):
            raise SeqxError("score() scores sentences with a language model; use translate()")
        out = []
        eos = self.src_dict.eos()
        for sentence in sentences:
            tokens = self.encode(sentence)
            source = torch.cat([tokens.new_tensor([eos]), tokens[:-1]])
            sample = {
                "net_input": {
                    "src_tokens": source[None].to(self.device),
                    "src_lengths": torch.tensor([len(source)], device=self.device),
                },
                "target": tokens[None].to(self.device),
            }
            with torch.no_grad():
                lprobs = token_log_probs(self._models(), sample)[0].cpu()
            out.append({"tokens": tokens, "positional_scores": lprobs, "score": lprobs.mean()})
        return out

    # -- helpers ----------------------------------------------------------------------

    def _models(self) -> list[Any]:
        return list(self.models)

    def _encoder_decoders(self) -> list[Any]:
        models = self._models()
        if not all(isinstance(m, EncoderDecoderModel) for m in models):
            raise SeqxError(
                "translate(), sample() and generate() decode with encoder-decoder models; "
                "score sentences with a language model through score()"
            )
        for m in models:
            m.eval()
        return models

    def _search(self, beam: int, kwargs: dict[str, Any]) -> GenerationConfig:
        known = {f.name for f in config_fields(GenerationConfig)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise SeqxError(
                f"{', '.join(unknown)}: not an option of the search; options are "
                f"{', '.join(sorted(known))}"
            )
        kwargs = {"nbest": beam, **kwargs}  # as fairseq's: every finished hypothesis
        return dataclasses.replace(GenerationConfig(), beam=beam, **kwargs)

    def _collate(self, samples: list[dict[str, Any]]) -> dict[str, Any]:
        from seqx.devices import move_to

        batch = collate(
            samples,
            self.src_dict.pad(),
            self.src_dict.eos(),
            left_pad_source=self.task.cfg.left_pad_source,
        )
        return dict(move_to(batch, self.device))


def _to_cpu(value: Any) -> Any:
    return value.cpu() if isinstance(value, Tensor) else value
