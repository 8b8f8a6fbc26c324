"""The tutorial's ``simple_classification`` task: characters in, one label out."""

import os

import torch

from seqx.data import Dictionary, LanguagePairDataset, iter_lines
from seqx.tasks import Task


class SimpleClassificationTask(Task):
    @classmethod
    def setup_task(cls, args, **kwargs):
        # the dictionaries seqx preprocess wrote
        input_vocab = Dictionary.load(os.path.join(args.data, "dict.input.txt"))
        label_vocab = Dictionary.load(os.path.join(args.data, "dict.label.txt"))
        print(f"| [input] dictionary: {len(input_vocab)} types")
        print(f"| [label] dictionary: {len(label_vocab)} types")
        return SimpleClassificationTask(args, input_vocab, label_vocab)

    def __init__(self, args, input_vocab, label_vocab):
        super().__init__(args)
        self.input_vocab = input_vocab
        self.label_vocab = label_vocab

    def load_dataset(self, split, **kwargs):
        """Read ``split`` from the raw text files: one name and one label per line."""
        prefix = os.path.join(self.cfg.data, f"{split}.input-label")

        sentences, lengths = [], []
        # iter_lines: the line rule every seqx reader follows (\r\n, byte-order mark, ...)
        for line in iter_lines(prefix + ".input"):
            tokens = self.input_vocab.encode_line(line.strip(), add_if_not_exist=False)
            sentences.append(tokens)
            lengths.append(tokens.numel())

        labels = []
        for line in iter_lines(prefix + ".label"):
            labels.append(torch.LongTensor([self.label_vocab.add_symbol(line.strip())]))

        assert len(labels) == len(sentences)
        print(f"| {split} {len(sentences)} examples")

        # a label is a one-token target; the model sees only the source (no input feeding)
        self.datasets[split] = LanguagePairDataset(
            src=sentences,
            src_sizes=lengths,
            src_dict=self.input_vocab,
            tgt=labels,
            tgt_sizes=torch.ones(len(labels)),
            tgt_dict=self.label_vocab,
            left_pad_source=False,
            input_feeding=False,
        )

    def max_positions(self):
        """Inputs up to --max-positions characters, one label."""
        return (self.cfg.max_positions, 1)

    @property
    def source_dictionary(self):
        return self.input_vocab

    @property
    def target_dictionary(self):
        return self.label_vocab
