"""Reads shards written by the Java side and compares the order with the Java reader's
(run by the Java test JavaShardsPythonReaderTest, which sets the environment variables)."""

import json
import os

import pytest

pytest.importorskip("pyarrow")

from gristmill_shards.plan import ReaderOptions  # noqa: E402
from gristmill_shards.reader import ShardDataset  # noqa: E402

DIR = os.environ.get("GRISTMILL_SHARD_DIR")
EXPECTED = os.environ.get("GRISTMILL_EXPECTED_ORDER")


@pytest.mark.skipif(not DIR or not EXPECTED, reason="needs GRISTMILL_SHARD_DIR (Java-written)")
def test_python_reads_java_shards_in_the_java_order():
    expected = json.load(open(EXPECTED))
    ds = ShardDataset(DIR, verify_checksums=True)
    assert ds.num_rows == expected["rows"]
    for case in expected["cases"]:
        o = ReaderOptions(**case["options"])
        got = []
        for table, _ in ds.epoch(o, case["epoch"]):
            got += table.column("id").to_pylist()
        assert got == case["ids"], case["options"]
