import pytest
import torch

from seqx.errors import SeqxError
from seqx.training.ema import EMA


def run(decay: float, start: int, freq: int, steps: int) -> list[float]:
    """The average after each of ``steps`` updates whose weight is the update's number."""
    ema = EMA(["w"], [torch.zeros(1)], decay, start_update=start, update_freq=freq)
    seen = []
    for update in range(1, steps + 1):
        ema.after_update(update, [torch.full((1,), float(update))])
        seen.append(ema.average[0].item())
    return seen


def test_fairseqs_schedule_of_copies_and_steps():
    # fairseq's EMA.step: decay 0 (a copy) while updates < start, then the decay
    assert run(0.5, start=3, freq=1, steps=4) == [1.0, 2.0, 2.5, 3.25]
    # every second update only: the first copy at update 2, an average step at 4
    assert run(0.5, start=3, freq=2, steps=5) == [0.0, 2.0, 2.0, 3.0, 3.0]


def test_the_turn_comes_from_the_update_count_so_a_resumed_average_matches():
    straight = run(0.5, start=0, freq=3, steps=7)
    ema = EMA(["w"], [torch.zeros(1)], 0.5, update_freq=3)
    for update in range(1, 5):
        ema.after_update(update, [torch.full((1,), float(update))])
    resumed = EMA(["w"], [torch.zeros(1)], 0.5, update_freq=3)
    resumed.load_state_dict({"w": ema.average[0]})
    for update in range(5, 8):
        resumed.after_update(update, [torch.full((1,), float(update))])
    assert resumed.average[0].item() == straight[-1]


def test_an_average_of_another_shape_is_refused():
    ema = EMA(["w"], [torch.zeros(2)], 0.9)
    with pytest.raises(SeqxError, match=r"--ema-seed-model 'x.pt'.*'w' is \(3,\)"):
        ema.load_state_dict({"w": torch.zeros(3)}, "--ema-seed-model 'x.pt'")
