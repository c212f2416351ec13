"""Readers for Gristmill Arrow shard directories (manifest.json + shard-NNNNN.arrow files).

- plan: the reading order (rank/world split, per-epoch shuffle, resume); pure Python.
- reader: ShardDataset, pyarrow memory-mapped reads (needs pyarrow).
- torch_dataset: ShardIterableDataset, a PyTorch IterableDataset honoring DataLoader workers.
"""

from .plan import ReaderOptions, ReadPlan

__all__ = ["ReaderOptions", "ReadPlan"]
