"""pyarrow reader: split, shuffle and resume over real Arrow files (skips without pyarrow)."""

import os

import pytest

pa = pytest.importorskip("pyarrow")

from gristmill_shards.plan import ReaderOptions  # noqa: E402
from gristmill_shards.reader import ShardDataset, ShardDirectoryError  # noqa: E402

from shard_writer import write_shards  # noqa: E402

SHARDS = [17, 40, 3, 29, 14]


@pytest.fixture(scope="module")
def shard_dir(tmp_path_factory):
    return write_shards(str(tmp_path_factory.mktemp("shards")), SHARDS)


def ids(ds, o, epoch=0, position=0):
    out, states = [], []
    for table, state in ds.epoch(o, epoch, position):
        out += table.column("id").to_pylist()
        states.append(state)
    return out, states


@pytest.mark.parametrize("world", [1, 2, 3, 8])
@pytest.mark.parametrize("shuffle,window", [(False, 0), (True, 0), (True, 7)])
def test_ranks_cover_the_dataset_once(shard_dir, world, shuffle, window):
    ds = ShardDataset(shard_dir, verify_checksums=True)
    seen, sizes = [], []
    for rank in range(world):
        got, _ = ids(ds, ReaderOptions(rank, world, 5, shuffle, window, 4), epoch=2)
        seen += got
        sizes.append(len(got))
    assert sorted(seen) == [f"r{i:05d}" for i in range(sum(SHARDS))]
    assert max(sizes) - min(sizes) <= 1


def test_every_state_resumes_exactly(shard_dir):
    ds = ShardDataset(shard_dir)
    o = ReaderOptions(1, 3, 5, True, 7, 3)
    full, states = ids(ds, o, epoch=1)
    for epoch, pos in states:
        rest, _ = ids(ds, o, epoch, pos)
        assert rest == full[pos:]
    assert ids(ds, o, epoch=1)[0] == full


def test_directory_without_manifest_is_refused(tmp_path):
    with pytest.raises(ShardDirectoryError, match="has no manifest.json"):
        ShardDataset(str(tmp_path))


def test_changed_shard_fails_checksum(tmp_path):
    d = write_shards(str(tmp_path / "s"), [5, 5])
    path = os.path.join(d, "shard-00001.arrow")
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 0x5A
    open(path, "wb").write(bytes(data))
    ShardDataset(d)  # same size
    with pytest.raises(ShardDirectoryError, match="sha256"):
        ShardDataset(d, verify_checksums=True)
