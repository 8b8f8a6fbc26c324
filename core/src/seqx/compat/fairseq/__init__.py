"""fairseq's checkpoints, read without running their pickles, and written back.

:func:`~seqx.compat.fairseq.pickles.load_fairseq` reads a fairseq checkpoint through an
allow-list; :func:`~seqx.compat.fairseq.imports.import_state` turns it into a seqx
checkpoint with the model plugin's :class:`~seqx.compat.fairseq.adapter.FairseqAdapter`;
:func:`~seqx.compat.fairseq.exports.export_state` does the reverse.
"""
