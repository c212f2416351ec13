"""Writes a small shard directory in the published layout, for the reader tests."""

import hashlib
import json
import os

import pyarrow as pa


def write_shards(directory, shard_rows, batch_rows=4):
    os.makedirs(directory, exist_ok=True)
    schema = pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("input_ids", pa.list_(pa.field("item", pa.int32(), nullable=False))),
            pa.field("num_tokens", pa.int32(), nullable=False),
        ],
        metadata={"gristmill.shard_kind": "sft", "gristmill.schema_version": "1"},
    )
    shards, next_id = [], 0
    for s, n in enumerate(shard_rows):
        ids = [f"r{next_id + i:05d}" for i in range(n)]
        next_id += n
        path = os.path.join(directory, f"shard-{s:05d}.arrow")
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, schema) as w:
            for b in range(0, n, batch_rows):
                chunk = ids[b : b + batch_rows]
                w.write_batch(
                    pa.record_batch(
                        [
                            pa.array(chunk),
                            pa.array([[int(i[1:]), 1] for i in chunk], pa.list_(pa.int32())),
                            pa.array([2] * len(chunk), pa.int32()),
                        ],
                        schema=schema,
                    )
                )
        data = open(path, "rb").read()
        shards.append(
            {"path": os.path.basename(path), "rows": n, "bytes": len(data),
             "sha256": hashlib.sha256(data).hexdigest()}
        )
    manifest = {
        "format_version": 1, "kind": "sft", "schema_version": 1, "batch_rows": batch_rows,
        "shards": shards, "totals": {"shards": len(shards), "rows": sum(shard_rows)},
    }
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    return directory
