"""Inference speed-ups applied to a model from outside, as converters.

Model files read like the paper; decoding converts a model once it is loaded:
``convert_for_decoding`` folds parametrizations (``prepare_for_inference_``) and swaps
linear layers for packed bfloat16 (``--amp`` on CPU) or int8 (``--int8``) ones. Each
converter keeps the numbers (packing) or says how it changes them (int8).
"""
