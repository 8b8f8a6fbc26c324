"""Conformance suites for language models (a decoder alone) and their incremental decoding."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from seqx.data.collate import collate_tokens
from seqx.models.incremental_state import IncrementalState
from seqx.registry import Registry
from seqx.testing.conformance.model import ModelFixtures
from seqx.testing.tiny import TinyTask


def tiny_lm_batch(task: TinyTask, lengths: list[int], seed: int = 0) -> dict[str, Any]:
    """A right-padded language-model batch of random blocks of the given lengths."""
    g = torch.Generator().manual_seed(seed)
    d = task.target_dictionary
    targets = [torch.randint(d.nspecial, len(d), (n,), generator=g) for n in lengths]
    sources = [torch.cat([t.new_tensor([d.eos()]), t[:-1]]) for t in targets]
    return {
        "net_input": {
            "src_tokens": collate_tokens(sources, d.pad(), d.eos()),
            "src_lengths": torch.tensor(lengths),
        },
        "target": collate_tokens(targets, d.pad(), d.eos()),
    }


class LanguageModelConformance(ModelFixtures):
    """A language model builds from an arch and a task, scores every position, and behaves.

    Set ``name`` (the model), ``arch`` (default: the model's name) and
    ``config_overrides`` that make it tiny.
    """

    def _scores(self, model: Any, batch: dict[str, Any]) -> torch.Tensor:
        return model(**batch["net_input"])[0]

    def test_forward_gives_scores_and_distributions(self, model: Any, task: TinyTask) -> None:
        batch = tiny_lm_batch(task, [6, 4, 5])
        out = model(**batch["net_input"])
        probs = model.get_normalized_probs(out, log_probs=False)
        assert probs.shape == (3, 6, len(task.target_dictionary))
        torch.testing.assert_close(probs.sum(-1), torch.ones(3, 6), atol=1e-4, rtol=0)
        logp = model.get_normalized_probs(out, log_probs=True)
        torch.testing.assert_close(logp.exp(), probs, atol=1e-5, rtol=1e-4)

    def test_state_dict_round_trip(
        self, model: Any, registry: Registry, config: Any, task: TinyTask
    ) -> None:
        other = self.rebuilt(registry, config, task)
        other.load_state_dict(model.state_dict())
        batch = tiny_lm_batch(task, [5, 3], seed=1)
        torch.testing.assert_close(self._scores(other, batch), self._scores(model, batch))

    def test_backward_reaches_every_parameter(self, model: Any, task: TinyTask) -> None:
        model.train()
        batch = tiny_lm_batch(task, [5, 7, 3], seed=2)
        logp = model.get_normalized_probs(model(**batch["net_input"]), log_probs=True)
        loss = -logp.gather(-1, batch["target"].unsqueeze(-1)).mean()
        loss.backward()
        missing = [n for n, p in model.named_parameters() if p.requires_grad and p.grad is None]
        assert not missing, f"parameters without gradient: {missing}"

    def test_a_position_sees_only_earlier_tokens(self, model: Any, task: TinyTask) -> None:
        batch = tiny_lm_batch(task, [6], seed=3)
        tokens = batch["net_input"]["src_tokens"]
        changed = tokens.clone()
        changed[0, 4] = task.target_dictionary.nspecial + (int(tokens[0, 4]) + 1) % 10
        with torch.no_grad():
            a = self._scores(model, batch)
            b = model(changed, src_lengths=batch["net_input"]["src_lengths"])[0]
        torch.testing.assert_close(a[:, :4], b[:, :4], atol=self.atol, rtol=1e-4)
        assert not torch.allclose(a[:, 4:], b[:, 4:]), "a changed token changed nothing after it"

    def test_right_padding_does_not_change_a_sentence(self, model: Any, task: TinyTask) -> None:
        batch = tiny_lm_batch(task, [7, 4], seed=4)
        with torch.no_grad():
            both = self._scores(model, batch)
            alone = model(batch["net_input"]["src_tokens"][1:, :4], src_lengths=torch.tensor([4]))
        torch.testing.assert_close(alone[0][0], both[1, :4], atol=self.atol, rtol=1e-4)


class IncrementalLanguageModelConformance(LanguageModelConformance):
    """Token-by-token scoring with caches equals the full pass, and reorders like beam search."""

    def test_incremental_equals_full_forward(self, model: Any, task: TinyTask) -> None:
        tokens = tiny_lm_batch(task, [6, 6, 6], seed=5)["net_input"]["src_tokens"]
        with torch.no_grad():
            full = model.decoder(tokens)[0]
            state = IncrementalState()
            for t in range(tokens.size(1)):
                step = model.decoder(tokens[:, : t + 1], incremental_state=state)[0]
                assert step.size(1) == 1, "an incremental step must score only the new position"
                torch.testing.assert_close(step[:, -1], full[:, t], atol=self.atol, rtol=1e-4)

    def test_reordering_matches_reordered_inputs(self, model: Any, task: TinyTask) -> None:
        tokens = tiny_lm_batch(task, [5, 5, 5], seed=6)["net_input"]["src_tokens"]
        new_order = torch.tensor([2, 0, 0, 1])
        with torch.no_grad():
            state = IncrementalState()
            for t in range(3):
                model.decoder(tokens[:, : t + 1], incremental_state=state)
            model.decoder.reorder_incremental_state(state, new_order)
            reordered = tokens.index_select(0, new_order)
            step = model.decoder(reordered[:, :4], incremental_state=state)[0]
            full = model.decoder(reordered)[0]
        torch.testing.assert_close(step[:, -1], full[:, 3], atol=self.atol, rtol=1e-4)

    def test_reorder_with_out_of_range_index_is_an_error(self, model: Any, task: TinyTask) -> None:
        tokens = tiny_lm_batch(task, [3, 3], seed=7)["net_input"]["src_tokens"]
        with torch.no_grad():
            state = IncrementalState()
            model.decoder(tokens[:, :1], incremental_state=state)
        with pytest.raises((IndexError, RuntimeError)):
            model.decoder.reorder_incremental_state(state, torch.tensor([0, 5]))
