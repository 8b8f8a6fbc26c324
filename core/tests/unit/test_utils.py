import pytest
import torch

from seqx import utils


def test_convert_padding_direction_both_ways():
    left = torch.tensor([[1, 1, 5, 6], [7, 8, 9, 2]])
    right = utils.convert_padding_direction(left, 1, left_to_right=True)
    assert right.tolist() == [[5, 6, 1, 1], [7, 8, 9, 2]]
    back = utils.convert_padding_direction(right, 1, right_to_left=True)
    assert back.tolist() == left.tolist()
    with pytest.raises(ValueError):
        utils.convert_padding_direction(left, 1)


def test_incremental_state_is_per_module_instance():
    a, b = torch.nn.Linear(1, 1), torch.nn.Linear(1, 1)
    state: dict = {}
    utils.set_incremental_state(a, state, "prev", 1)
    utils.set_incremental_state(b, state, "prev", 2)
    assert utils.get_incremental_state(a, state, "prev") == 1
    assert utils.get_incremental_state(b, state, "prev") == 2
    assert utils.get_incremental_state(a, None, "prev") is None
