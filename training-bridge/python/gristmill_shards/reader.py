"""ShardDataset: reads a published shard directory with pyarrow, memory-mapped.

Same semantics as the Java reader (io.gristmill.bridge.read.ShardDataset): a directory without
manifest.json is refused; sizes (and, when asked, sha256) are checked; epoch() yields one rank's
batches in exactly the Java order, and resumes from (epoch, position).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Iterator, List, Tuple

import pyarrow as pa

from .plan import ReaderOptions, ReadPlan


class ShardDirectoryError(RuntimeError):
    """The directory is not a complete, intact shard directory."""


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class ShardDataset:
    def __init__(self, directory: str, verify_checksums: bool = False):
        self.directory = directory
        manifest_path = os.path.join(directory, "manifest.json")
        if not os.path.isfile(manifest_path):
            raise ShardDirectoryError(
                f"Cannot open shard directory {directory}: it has no manifest.json, so it is"
                " incomplete or not a shard directory. Point at a directory written by"
                " 'gristmill export --format shards-sft|shards-rl', and wait for the export to"
                " finish."
            )
        with open(manifest_path, encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.batch_rows = int(self.manifest["batch_rows"])
        self.paths = [os.path.join(directory, s["path"]) for s in self.manifest["shards"]]
        self.shard_rows = [int(s["rows"]) for s in self.manifest["shards"]]
        for path, s in zip(self.paths, self.manifest["shards"]):
            if not os.path.isfile(path):
                raise ShardDirectoryError(f"Cannot use shard {path}: the file is missing")
            size = os.path.getsize(path)
            if size != s["bytes"]:
                raise ShardDirectoryError(
                    f"Cannot use shard {path}: size is {size} bytes but the manifest says"
                    f" {s['bytes']}"
                )
            if verify_checksums and _sha256(path) != s["sha256"]:
                raise ShardDirectoryError(f"Cannot use shard {path}: sha256 differs from manifest")
        self._readers = {}

    @property
    def num_rows(self) -> int:
        return int(self.manifest["totals"]["rows"])

    def _reader(self, shard: int) -> pa.ipc.RecordBatchFileReader:
        r = self._readers.get(shard)
        if r is None:
            r = pa.ipc.open_file(pa.memory_map(self.paths[shard], "r"))
            self._readers[shard] = r
        return r

    def _slice(self, shard: int, row: int, n: int) -> pa.RecordBatch:
        """Up to n rows from (shard, row), stopping at the end of that record batch."""
        batch = self._reader(shard).get_batch(row // self.batch_rows)
        off = row % self.batch_rows
        return batch.slice(off, min(n, batch.num_rows - off))

    def _run(self, plan: ReadPlan, p: int, n: int) -> List[pa.RecordBatch]:
        out, done = [], 0
        while done < n:
            shard, row = plan.locate(p + done)
            piece = self._slice(shard, row, n - done)
            out.append(piece)
            done += piece.num_rows
        return out

    def epoch(
        self, options: ReaderOptions, epoch: int = 0, position: int = 0
    ) -> Iterator[Tuple[pa.Table, Tuple[int, int]]]:
        """Yields (batch as a pyarrow Table, state after it) for one rank's epoch."""
        plan = ReadPlan(self.shard_rows, options, epoch)
        p = min(position, plan.length)
        window_index, window_table, perm = -1, None, None
        while p < plan.length:
            n = min(options.batch_size, plan.length - p)
            if plan.window == 1:
                table = pa.Table.from_batches(self._run(plan, p, n))
            else:
                parts = []
                j = 0
                while j < n:
                    w = (p + j) // plan.window
                    if w != window_index:
                        start = w * plan.window
                        perm = plan.window_permutation(w)
                        window_table = pa.Table.from_batches(self._run(plan, start, len(perm)))
                        window_index = w
                    k0 = (p + j) % plan.window
                    k1 = min(len(perm), k0 + (n - j))
                    parts.append(window_table.take(pa.array(perm[k0:k1], pa.int64())))
                    j += k1 - k0
                table = pa.concat_tables(parts)
            p += n
            yield table, (epoch, p)
