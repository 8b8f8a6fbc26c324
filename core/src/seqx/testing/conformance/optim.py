"""Conformance suites for optimizers and learning-rate schedulers."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import pytest
import torch

from seqx.registry import Entry
from seqx.testing.conformance.component import ComponentConformance


def _problem(seed: int = 0) -> tuple[torch.nn.Module, torch.Tensor, torch.Tensor]:
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    x = torch.randn(32, 4)
    y = x.sum(-1, keepdim=True).sin()
    return model, x, y


def _loss(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.mse_loss(model(x), y)


class OptimizerConformance(ComponentConformance):
    """An optimizer lowers a loss, and resumes exactly from its state dict."""

    kind = "optimizer"
    lr: ClassVar[float] = 0.05
    """Learning rate for the checks."""
    steps: ClassVar[int] = 30
    """Steps the loss must fall within."""

    def build(self, entry: Entry, config: Any, params: Any, lr: float | None = None) -> Any:
        return entry.load()(config, params, self.lr if lr is None else lr)

    def _train(self, opt: Any, model: Any, x: Any, y: Any, steps: int) -> list[float]:
        losses = []
        for _ in range(steps):
            opt.zero_grad()
            loss = _loss(model, x, y)
            opt.backward(loss)
            opt.step()
            losses.append(float(loss.detach()))
        return losses

    def test_lowers_the_loss(self, entry: Entry, config: Any) -> None:
        model, x, y = _problem()
        losses = self._train(self.build(entry, config, model.parameters()), model, x, y, self.steps)
        assert losses[-1] < 0.8 * losses[0], losses

    def test_resumes_exactly_from_state_dict(self, entry: Entry, config: Any) -> None:
        model, x, y = _problem()
        opt = self.build(entry, config, model.parameters())
        self._train(opt, model, x, y, 3)
        twin = copy.deepcopy(model)
        twin_opt = self.build(entry, config, twin.parameters(), lr=self.lr * 7)
        twin_opt.load_state_dict(copy.deepcopy(opt.state_dict()))
        assert twin_opt.get_lr() == pytest.approx(opt.get_lr())
        self._train(opt, model, x, y, 3)
        self._train(twin_opt, twin, x, y, 3)
        for a, b in zip(model.parameters(), twin.parameters()):
            torch.testing.assert_close(a, b, rtol=0, atol=0)

    def test_learning_rate_and_gradient_helpers(self, entry: Entry, config: Any) -> None:
        model, x, y = _problem()
        opt = self.build(entry, config, model.parameters())
        opt.set_lr(0.125)
        assert opt.get_lr() == 0.125
        opt.backward(_loss(model, x, y))
        norm = float(opt.clip_grad_norm(0.0))
        opt.multiply_grads(0.5)
        assert float(opt.clip_grad_norm(0.0)) == pytest.approx(norm / 2, rel=1e-5)
        opt.clip_grad_norm(norm / 10)
        assert float(opt.clip_grad_norm(0.0)) == pytest.approx(norm / 10, rel=1e-4)
        opt.zero_grad()
        assert all(p.grad is None for p in model.parameters())


class LRSchedulerConformance(ComponentConformance):
    """A schedule sets non-negative rates deterministically and resumes from its state."""

    kind = "lr_scheduler"
    lrs: ClassVar[tuple[float, ...]] = (0.1,)
    """The ``--lr`` values to schedule."""

    def build(self, entry: Entry, config: Any) -> tuple[Any, Any]:
        from seqx.optim import Optimizer

        param = torch.nn.Parameter(torch.zeros(1))

        class _Plain(Optimizer):
            def __init__(self) -> None:
                super().__init__(None, [param], self_lr)
                self._optimizer = torch.optim.SGD(self.params, lr=self_lr)

        self_lr = self.lrs[0]
        opt = _Plain()
        return opt, entry.load()(config, opt, self.lrs)

    def _run(self, sched: Any, epochs: int = 3, updates_per_epoch: int = 5) -> list[float]:
        out, n = [], 0
        for epoch in range(1, epochs + 1):
            out.append(sched.step_begin_epoch(epoch))
            for _ in range(updates_per_epoch):
                n += 1
                out.append(sched.step_update(n))
            out.append(sched.step(epoch, val_loss=1.0 / epoch))
        return out

    def test_rates_are_deterministic_and_valid(self, entry: Entry, config: Any) -> None:
        a = self._run(self.build(entry, copy.deepcopy(config))[1])
        b = self._run(self.build(entry, copy.deepcopy(config))[1])
        assert a == b
        assert all(lr >= 0 for lr in a)

    def test_step_update_sets_the_optimizer(self, entry: Entry, config: Any) -> None:
        opt, sched = self.build(entry, config)
        lr = sched.step_update(3)
        assert opt.get_lr() == pytest.approx(lr)

    def test_resumes_from_state_dict(self, entry: Entry, config: Any) -> None:
        opt, sched = self.build(entry, copy.deepcopy(config))
        sched.step_begin_epoch(1)
        for n in range(1, 4):
            sched.step_update(n)
        state = copy.deepcopy(sched.state_dict())
        _, twin = self.build(entry, copy.deepcopy(config))
        twin.load_state_dict(state)
        for n in range(4, 8):
            assert twin.step_update(n) == pytest.approx(sched.step_update(n))
