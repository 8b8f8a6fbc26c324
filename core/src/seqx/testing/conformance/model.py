"""Conformance suites for models and incremental decoders."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import pytest
import torch
from torch import Tensor

from seqx.models.incremental_state import IncrementalState
from seqx.registry import Registry
from seqx.testing.conformance.component import ComponentConformance
from seqx.testing.tiny import TinyTask, tiny_batch


class ModelFixtures(ComponentConformance):
    """Fixtures of the model suites: the tiny task, the arch's config and the built model.

    Set ``name`` (the model), ``arch`` (default: the model's name) and
    ``config_overrides`` that make it tiny.
    """

    kind = "model"
    arch: ClassVar[str | None] = None
    """The arch to build (default: ``name``)."""
    vocab_size: ClassVar[int] = 24
    """Size of the tiny dictionaries."""
    atol: ClassVar[float] = 1e-5
    """Tolerance of equality checks."""

    @pytest.fixture
    def task(self) -> TinyTask:
        return TinyTask(self.vocab_size)

    @pytest.fixture
    def config(self, registry: Registry) -> Any:
        resolved = registry.resolve_arch(self.arch or self.name)
        from seqx.config.resolve import check_arch_defaults

        cls = resolved.model.load_config()
        assert cls is not None, f"model {resolved.model.name} has no config"
        return cls(**{**check_arch_defaults(resolved, cls), **self.config_overrides})

    @pytest.fixture
    def model(self, registry: Registry, config: Any, task: TinyTask) -> Any:
        resolved = registry.resolve_arch(self.arch or self.name)
        torch.manual_seed(0)
        model = resolved.model.load().build_model(config, task)
        return model.eval()

    def rebuilt(self, registry: Registry, config: Any, task: TinyTask) -> Any:
        """Another model of the same config, initialized from another seed."""
        resolved = registry.resolve_arch(self.arch or self.name)
        torch.manual_seed(123)
        return resolved.model.load().build_model(copy.deepcopy(config), task).eval()


class ModelConformance(ModelFixtures):
    """An encoder-decoder model builds from an arch and a task, and behaves.

    Set ``name`` (the model), ``arch`` (default: the model's name) and
    ``config_overrides`` that make it tiny.
    """

    def _forward(self, model: Any, batch: dict[str, Any]) -> torch.Tensor:
        return model(**batch["net_input"])[0]

    def test_forward_gives_scores_and_distributions(self, model: Any, task: TinyTask) -> None:
        batch = tiny_batch(task, [5, 7, 3], tgt_length=6)
        logits = self._forward(model, batch)
        vocab = len(task.target_dictionary)
        # with an adaptive softmax the decoder's output is hidden states, not scores
        if getattr(getattr(model, "decoder", None), "adaptive_softmax", None) is None:
            assert logits.shape == (3, 6, vocab)
        assert torch.isfinite(logits).all()
        probs = model.get_normalized_probs((logits, {}), log_probs=False)
        assert probs.shape == (3, 6, vocab)
        torch.testing.assert_close(probs.sum(-1), torch.ones(3, 6), atol=1e-4, rtol=0)
        logp = model.get_normalized_probs((logits, {}), log_probs=True)
        torch.testing.assert_close(logp.exp(), probs, atol=1e-5, rtol=1e-4)

    def test_state_dict_round_trip(
        self, model: Any, registry: Registry, config: Any, task: TinyTask
    ) -> None:
        other = self.rebuilt(registry, config, task)
        other.load_state_dict(model.state_dict())
        batch = tiny_batch(task, [4, 6], tgt_length=5, seed=1)
        torch.testing.assert_close(self._forward(other, batch), self._forward(model, batch))

    def test_backward_reaches_every_parameter(self, model: Any, task: TinyTask) -> None:
        model.train()
        batch = tiny_batch(task, [5, 7, 3], tgt_length=6, seed=2)
        logits = self._forward(model, batch)
        logp = model.get_normalized_probs((logits, {}), log_probs=True)
        loss = -logp.gather(-1, batch["target"].unsqueeze(-1)).mean()
        loss.backward()
        missing = [n for n, p in model.named_parameters() if p.requires_grad and p.grad is None]
        assert not missing, f"parameters without gradient: {missing}"

    def test_padding_does_not_change_a_sentence(self, model: Any, task: TinyTask) -> None:
        batch = tiny_batch(task, [4, 9], tgt_length=5, seed=3)
        both = self._forward(model, batch)
        # the row of the shorter source, alone (no padding)
        row = int((batch["net_input"]["src_lengths"] == 4).nonzero()[0])
        alone = {
            "src_tokens": batch["net_input"]["src_tokens"][row : row + 1, -4:],
            "src_lengths": batch["net_input"]["src_lengths"][row : row + 1],
            "prev_output_tokens": batch["net_input"]["prev_output_tokens"][row : row + 1],
        }
        single = model(**alone)[0]
        torch.testing.assert_close(single[0], both[row], atol=self.atol, rtol=1e-4)

    def test_fused_loss_equals_the_normalized_scores(self, model: Any, task: TinyTask) -> None:
        """A model offering the fused loss (``fused_loss``) gives the loss its own forward
        and normalization give."""
        from seqx.criterions.configs import LabelSmoothedCrossEntropyConfig
        from seqx.criterions.label_smoothed_cross_entropy import (
            LabelSmoothedCrossEntropyCriterion,
        )

        if not model.fused_loss:
            pytest.skip("the model does not offer the fused loss")
        from seqx.criterions.fused import target_logits

        cfg = LabelSmoothedCrossEntropyConfig(label_smoothing=0.1)
        criterion = LabelSmoothedCrossEntropyCriterion(cfg, task)
        batch = tiny_batch(task, [5, 7, 3], tgt_length=6, seed=9)
        if target_logits(model, batch, criterion.padding_idx) is None:
            pytest.skip("an adaptive softmax: the fused loss does not apply")
        fused = criterion(model, batch)[0]
        unfused_model = copy.deepcopy(model)
        unfused_model.fused_loss = False
        unfused = criterion(unfused_model, batch)[0]
        torch.testing.assert_close(fused, unfused, atol=1e-4, rtol=1e-5)

    def test_prepared_for_inference_scores_the_same(self, model: Any, task: TinyTask) -> None:
        batch = tiny_batch(task, [5, 7, 3], tgt_length=6, seed=6)
        prepared = copy.deepcopy(model)
        prepared.prepare_for_inference_()
        assert not prepared.training
        with torch.no_grad():
            expected = self._forward(model, batch)
            got = self._forward(prepared, batch)
            torch.testing.assert_close(got, expected, atol=self.atol, rtol=1e-4)


class IncrementalDecoderConformance(ModelConformance):
    """Step-by-step decoding with caches equals the full pass, and reorders like beam search."""

    def _encode(self, model: Any, batch: dict[str, Any]) -> Any:
        net = batch["net_input"]
        return model.encoder(net["src_tokens"], src_lengths=net["src_lengths"])

    def _steps_match_full_pass(
        self, stepper: Any, reference: Any, task: TinyTask, seed: int
    ) -> None:
        """``stepper``'s cached steps over a tiny batch score each position as
        ``reference``'s full pass does."""
        batch = tiny_batch(task, [5, 7, 3], tgt_length=6, seed=seed)
        prev = batch["net_input"]["prev_output_tokens"]
        with torch.no_grad():
            full = reference.decoder(prev, encoder_out=self._encode(reference, batch))[0]
            encoder_out = self._encode(stepper, batch)
            state = IncrementalState()
            for t in range(prev.size(1)):
                step = stepper.decoder(
                    prev[:, : t + 1], encoder_out=encoder_out, incremental_state=state
                )[0]
                assert step.size(1) == 1, "an incremental step must score only the new position"
                torch.testing.assert_close(step[:, -1], full[:, t], atol=self.atol, rtol=1e-4)

    def test_incremental_equals_full_forward(self, model: Any, task: TinyTask) -> None:
        self._steps_match_full_pass(model, model, task, seed=4)

    def test_prepared_for_inference_decodes_the_same(self, model: Any, task: TinyTask) -> None:
        prepared = copy.deepcopy(model)
        prepared.prepare_for_inference_()
        self._steps_match_full_pass(prepared, model, task, seed=7)

    def test_reordering_matches_reordered_inputs(self, model: Any, task: TinyTask) -> None:
        batch = tiny_batch(task, [5, 7, 3], tgt_length=5, seed=5)
        prev = batch["net_input"]["prev_output_tokens"]
        new_order = torch.tensor([2, 0, 0, 1])
        with torch.no_grad():
            encoder_out = self._encode(model, batch)
            state = IncrementalState()
            for t in range(3):
                model.decoder(prev[:, : t + 1], encoder_out=encoder_out, incremental_state=state)
            model.decoder.reorder_incremental_state(state, new_order)
            encoder_out = model.encoder.reorder_encoder_out(encoder_out, new_order)
            reordered = prev.index_select(0, new_order)
            step = model.decoder(
                reordered[:, :4], encoder_out=encoder_out, incremental_state=state
            )[0]
            full = model.decoder(reordered, encoder_out=encoder_out)[0]
        torch.testing.assert_close(step[:, -1], full[:, 3], atol=self.atol, rtol=1e-4)

    def test_reorder_with_out_of_range_index_is_an_error(self, model: Any, task: TinyTask) -> None:
        batch = tiny_batch(task, [5, 3], tgt_length=3, seed=6)
        prev = batch["net_input"]["prev_output_tokens"]
        with torch.no_grad():
            encoder_out = self._encode(model, batch)
            state = IncrementalState()
            model.decoder(prev[:, :1], encoder_out=encoder_out, incremental_state=state)
        # seqx's own reorder says "the batch has 2 rows"; a decoder that reorders its own
        # caches may fail in index_select instead: an error either way, never garbage
        with pytest.raises((IndexError, RuntimeError)):
            model.decoder.reorder_incremental_state(state, torch.tensor([0, 5]))

    def _beam_step_after_reorder(
        self, model: Any, task: TinyTask, lengths: list[int], new_order: Tensor, seed: int
    ) -> None:
        """Two cached steps over beams of 2, then ``new_order`` (as beam search reorders):
        the next cached step equals the full pass over the reordered prefixes."""
        beam = 2
        batch = tiny_batch(task, lengths, tgt_length=4, seed=seed)
        expand = torch.arange(len(lengths)).repeat_interleave(beam)
        prev = batch["net_input"]["prev_output_tokens"].index_select(0, expand)
        prev[1::2, 1:] = prev[1::2, 1:].flip(1)  # make the two beams of each sentence differ
        with torch.no_grad():
            encoder_out = self._encode(model, batch)
            encoder_out = model.encoder.reorder_encoder_out(encoder_out, expand)
            state = IncrementalState(beam_size=beam, group=beam)
            for t in range(2):
                model.decoder(prev[:, : t + 1], encoder_out=encoder_out, incremental_state=state)
            model.decoder.reorder_incremental_state(state, new_order)
            encoder_out = model.encoder.reorder_encoder_out(encoder_out, new_order)
            reordered = prev.index_select(0, new_order)
            step = model.decoder(
                reordered[:, :3], encoder_out=encoder_out, incremental_state=state
            )[0]
            full = model.decoder(reordered, encoder_out=encoder_out)[0]
        torch.testing.assert_close(step[:, -1], full[:, 2], atol=self.atol, rtol=1e-4)

    def test_reorder_within_beams(self, model: Any, task: TinyTask) -> None:
        self._beam_step_after_reorder(model, task, [5, 7], torch.tensor([1, 1, 2, 3]), seed=7)

    def test_reorder_when_sentences_leave_the_beam(self, model: Any, task: TinyTask) -> None:
        # sentence 0 with its beams swapped, sentence 1 finished, sentence 2's second beam
        # twice: what beam search does when a sentence completes
        self._beam_step_after_reorder(model, task, [5, 7, 4], torch.tensor([1, 0, 5, 5]), seed=8)

    def test_first_step_per_sentence_expands_to_beams(self, model: Any, task: TinyTask) -> None:
        """Beam search computes step 0 once per sentence at beam size 1, then expands the
        state to the beams (``new_order`` longer than the batch): the later cached steps
        equal the full pass over the beams' prefixes."""
        beam, lengths = 3, [5, 7, 4]
        batch = tiny_batch(task, lengths, tgt_length=4, seed=9)
        expand = torch.arange(len(lengths)).repeat_interleave(beam)
        prev = batch["net_input"]["prev_output_tokens"].index_select(0, expand)
        prev[1::beam, 1:] = prev[1::beam, 1:].flip(1)  # the beams of a sentence differ
        prev[2::beam, 1:] = prev[2::beam, 1:].roll(1, 1)
        with torch.no_grad():
            encoder_out = self._encode(model, batch)
            state = IncrementalState(beam_size=beam)
            first = model.decoder(
                prev[::beam, :1], encoder_out=encoder_out, incremental_state=state
            )[0]
            model.decoder.reorder_incremental_state(state, expand)
            encoder_out = model.encoder.reorder_encoder_out(encoder_out, expand)
            for t in (1, 2):
                step = model.decoder(
                    prev[:, : t + 1], encoder_out=encoder_out, incremental_state=state
                )[0]
            full = model.decoder(prev[:, :3], encoder_out=encoder_out)[0]
        torch.testing.assert_close(first[:, -1], full[::beam, 0], atol=self.atol, rtol=1e-4)
        torch.testing.assert_close(step[:, -1], full[:, 2], atol=self.atol, rtol=1e-4)
