"""Reading order of one rank in one epoch: pure arithmetic, no I/O, no pyarrow.

Bit-for-bit the same as the Java reader (io.gristmill.bridge.read.SplitMix64 and ReadPlan), so a
Java and a Python trainer given the same directory, options and state read the same rows in the
same order.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import List, Sequence, Tuple

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def mix(z: int) -> int:
    z &= MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class SplitMix64:
    def __init__(self, seed: int):
        self.state = seed & MASK

    def next(self) -> int:
        self.state = (self.state + GOLDEN) & MASK
        return mix(self.state)

    def next_bounded(self, bound: int) -> int:
        return (self.next() >> 1) % bound


def derive(*parts: int) -> int:
    """h = mix((h ^ p) + GOLDEN) over the parts, from h = 0 (parts as 64-bit two's complement)."""
    h = 0
    for p in parts:
        h = mix(((h ^ (p & MASK)) + GOLDEN) & MASK)
    return h


def permutation(n: int, seed: int) -> List[int]:
    """Fisher-Yates from the top: for i = n-1..1 swap a[i] with a[next_bounded(i + 1)]."""
    a = list(range(n))
    rng = SplitMix64(seed)
    for i in range(n - 1, 0, -1):
        j = rng.next_bounded(i + 1)
        a[i], a[j] = a[j], a[i]
    return a


def signed64(x: int) -> int:
    """The value as Java's long would print it."""
    x &= MASK
    return x - (1 << 64) if x >= 1 << 63 else x


@dataclass(frozen=True)
class ReaderOptions:
    rank: int = 0
    world_size: int = 1
    seed: int = 0
    shuffle: bool = False
    shuffle_window: int = 0
    batch_size: int = 32

    def __post_init__(self):
        if self.world_size < 1:
            raise ValueError(f"world_size must be >= 1, got {self.world_size}")
        if not 0 <= self.rank < self.world_size:
            raise ValueError(f"rank must be in [0, {self.world_size - 1}], got {self.rank}")
        if self.shuffle_window < 0 or self.batch_size < 1:
            raise ValueError("shuffle_window must be >= 0 and batch_size >= 1")


class ReadPlan:
    """Rank r of W reads global rows [N*r//W, N*(r+1)//W) of the epoch's shard-ordered stream;
    with a shuffle window B > 1 its rows are permuted inside windows of B."""

    def __init__(self, shard_rows: Sequence[int], o: ReaderOptions, epoch: int):
        n = len(shard_rows)
        self.shard_order = (
            permutation(n, derive(o.seed, epoch)) if o.shuffle else list(range(n))
        )
        self.cumulative = [0]
        for i in range(n):
            self.cumulative.append(self.cumulative[-1] + shard_rows[self.shard_order[i]])
        total = self.cumulative[-1]
        self.start = total * o.rank // o.world_size
        self.length = total * (o.rank + 1) // o.world_size - self.start
        self.seed, self.epoch, self.rank = o.seed, epoch, o.rank
        self.window = o.shuffle_window if o.shuffle and o.shuffle_window > 1 else 1

    def window_permutation(self, w: int) -> List[int]:
        length = min(self.window, self.length - w * self.window)
        if self.window == 1:
            return list(range(length))
        return permutation(length, derive(self.seed, self.epoch, self.rank, w))

    def locate(self, p: int) -> Tuple[int, int]:
        """(shard index in the manifest, row in that shard) of the rank's p-th unshuffled row."""
        g = self.start + p
        pos = bisect.bisect_right(self.cumulative, g) - 1
        return self.shard_order[pos], g - self.cumulative[pos]

    def source_position(self, p: int) -> int:
        w = p // self.window
        return w * self.window + self.window_permutation(w)[p % self.window]
