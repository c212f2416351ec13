// Reads a Gristmill shard directory with Arrow JS (an Arrow implementation independent of the Java
// writer) and prints JSON: manifest totals, each shard's schema and metadata, and every row.
// Usage: node read-shards.mjs SHARD_DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node read-shards.mjs SHARD_DIR');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

function plain(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (ArrayBuffer.isView(v)) return Array.from(v, plain);
  if (typeof v === 'object' && typeof v.toJSON === 'function') return plain(v.toJSON());
  if (typeof v === 'object' && typeof v.toArray === 'function') return Array.from(v.toArray(), plain);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

const shards = [];
const rows = [];
for (const s of manifest.shards) {
  const table = tableFromIPC(readFileSync(join(dir, s.path)));
  shards.push({
    path: s.path,
    rows: table.numRows,
    batches: table.batches.length,
    schema: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable })),
    metadata: Object.fromEntries(table.schema.metadata),
  });
  for (const r of table) {
    const o = {};
    for (const f of table.schema.fields) o[f.name] = plain(r[f.name]);
    rows.push(o);
  }
}
console.log(JSON.stringify({ kind: manifest.kind, manifest_rows: manifest.totals.rows, shards, rows }));
