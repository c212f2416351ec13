"""The PyTorch IterableDataset: the same stream for 0, 1 or 2 DataLoader workers (skips without
torch or pyarrow)."""

import pytest

pytest.importorskip("pyarrow")
torch = pytest.importorskip("torch")

from torch.utils.data import DataLoader  # noqa: E402

from gristmill_shards.torch_dataset import ShardIterableDataset  # noqa: E402

from shard_writer import write_shards  # noqa: E402


def stream(ds, workers):
    out = []
    for batch in DataLoader(ds, batch_size=None, num_workers=workers):
        out += batch["id"]
        assert batch["input_ids"].shape[0] == len(batch["id"])
    return out


def test_workers_do_not_change_the_stream(tmp_path):
    d = write_shards(str(tmp_path / "s"), [17, 40, 3, 29, 14])
    ds = ShardIterableDataset(d, rank=1, world_size=2, seed=3, shuffle_window=8, batch_size=5)
    base = stream(ds, 0)
    assert len(base) == 52  # rank 1 of 2 reads rows [51, 103)
    assert stream(ds, 2) == base
    epoch, pos = ds.state_after(3)
    ds.set_epoch(epoch, pos)
    assert stream(ds, 2) == base[15:]
