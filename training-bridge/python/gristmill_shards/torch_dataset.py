"""A PyTorch IterableDataset over a shard directory, honoring rank/world size and DataLoader workers.

Use it with DataLoader(ds, batch_size=None, num_workers=K): the dataset yields whole batches,
worker w yields batches w, w+K, w+2K, ... of this rank's epoch, and the DataLoader returns them in
that order, so the stream is the same for any K and resume is exact:
state = ds.state_after(batches_consumed).
"""

from __future__ import annotations

from typing import Dict, Iterator, Optional, Sequence, Tuple

import numpy as np
import pyarrow as pa
import torch
from torch.utils.data import IterableDataset, get_worker_info

from .plan import ReaderOptions, ReadPlan
from .reader import ShardDataset


def to_tensors(table: pa.Table, pad_id: int = 0) -> Dict[str, object]:
    """Columns as tensors: numeric list columns padded to the longest row (+ '<name>_lengths'),
    numbers as 1-D tensors, strings and chat lists as Python lists."""
    out: Dict[str, object] = {}
    for name in table.column_names:
        col = table.column(name).combine_chunks()
        if pa.types.is_list(col.type) and pa.types.is_struct(col.type.value_type):
            out[name] = col.to_pylist()  # chat turns: a list of {role, content} per row
        elif pa.types.is_list(col.type):
            offsets = col.offsets.to_numpy()
            values = col.flatten().to_numpy(zero_copy_only=False)
            lengths = np.diff(offsets)
            width = int(lengths.max()) if len(lengths) else 0
            fill = pad_id if not pa.types.is_floating(col.type.value_type) else 0.0
            padded = np.full((len(col), width), fill, dtype=values.dtype)
            for i, (a, b) in enumerate(zip(offsets[:-1], offsets[1:])):
                padded[i, : b - a] = values[a - offsets[0] : b - offsets[0]]
            out[name] = torch.from_numpy(padded)
            out[name + "_lengths"] = torch.from_numpy(lengths.astype(np.int64))
        elif pa.types.is_string(col.type):
            out[name] = col.to_pylist()
        else:
            out[name] = torch.from_numpy(col.to_numpy(zero_copy_only=False))
    return out


class ShardIterableDataset(IterableDataset):
    def __init__(
        self,
        directory: str,
        rank: int = 0,
        world_size: int = 1,
        seed: int = 0,
        shuffle: bool = True,
        shuffle_window: int = 4096,
        batch_size: int = 32,
        epoch: int = 0,
        position: int = 0,
        columns: Optional[Sequence[str]] = None,
        tensors: bool = True,
        verify_checksums: bool = False,
    ):
        super().__init__()
        self.directory = directory
        self.options = ReaderOptions(rank, world_size, seed, shuffle, shuffle_window, batch_size)
        self.epoch, self.position = epoch, position
        self.columns, self.tensors = columns, tensors
        self._dataset = ShardDataset(directory, verify_checksums)

    def set_epoch(self, epoch: int, position: int = 0) -> None:
        self.epoch, self.position = epoch, position

    def __len__(self) -> int:
        plan = ReadPlan(self._dataset.shard_rows, self.options, self.epoch)
        remaining = plan.length - min(self.position, plan.length)
        return -(-remaining // self.options.batch_size)

    def state_after(self, batches_consumed: int) -> Tuple[int, int]:
        """(epoch, position) to save after the trainer consumed that many batches of this epoch."""
        plan = ReadPlan(self._dataset.shard_rows, self.options, self.epoch)
        pos = self.position + batches_consumed * self.options.batch_size
        return self.epoch, min(pos, plan.length)

    def __iter__(self) -> Iterator[object]:
        info = get_worker_info()
        worker, workers = (0, 1) if info is None else (info.id, info.num_workers)
        ds = self._dataset if info is None else ShardDataset(self.directory)
        for i, (table, _) in enumerate(ds.epoch(self.options, self.epoch, self.position)):
            if i % workers != worker:
                continue
            if self.columns is not None:
                table = table.select(list(self.columns))
            yield to_tensors(table) if self.tensors else table
