import pytest
import torch

from seqx.errors import ConfigError
from seqx.models.adaptive_softmax import AdaptiveSoftmax, parse_cutoff


def test_parse_cutoff():
    assert parse_cutoff("10000,50000,200000", 60000, "--c") == [10000, 50000, 60000]
    with pytest.raises(ConfigError, match="increasing"):
        parse_cutoff("50,10", 100, "--c")
    with pytest.raises(ConfigError, match="no tail"):
        parse_cutoff("500", 100, "--c")


def test_log_probs_normalize_and_match_the_training_loss():
    torch.manual_seed(0)
    softmax = AdaptiveSoftmax([5, 9, 14], input_dim=8).eval()
    features = torch.randn(2, 3, 8)
    lprobs = softmax.get_log_prob(features)
    assert lprobs.shape == (2, 3, 14)
    torch.testing.assert_close(lprobs.logsumexp(-1), torch.zeros(2, 3), atol=1e-5, rtol=0)
    target = torch.tensor([[0, 4, 5], [8, 9, 13]])  # head, head, tail 0, tail 0, tail 1, tail 1
    outputs, targets = softmax(features, target)
    assert len(outputs) == 3 and [t.numel() for t in targets] == [6, 2, 2]
    loss = sum(
        torch.nn.functional.cross_entropy(o, t, reduction="sum") for o, t in zip(outputs, targets)
    )
    expected = -lprobs.reshape(-1, 14).gather(1, target.reshape(-1, 1)).sum()
    torch.testing.assert_close(loss, expected)
