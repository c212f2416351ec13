// Reads a Parquet file or glob with DuckDB (independent of Spark's Parquet writer) and prints JSON:
// the column names and DuckDB types, and every row (nested structs and lists included).
// Usage: node read-parquet.mjs PARQUET_FILE_OR_GLOB [ORDER_BY_EXPRESSION]
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
const orderBy = process.argv[3];
if (!path) {
  console.error('usage: node read-parquet.mjs PARQUET_FILE_OR_GLOB [ORDER_BY]');
  process.exit(2);
}
const quoted = `'${path.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoted})`);
const columns = described.getRowObjectsJson().map((r) => ({ name: r.column_name, type: r.column_type }));
const sql = `SELECT * FROM read_parquet(${quoted})` + (orderBy ? ` ORDER BY ${orderBy}` : '');
const rows = (await conn.runAndReadAll(sql)).getRowObjectsJson();
console.log(JSON.stringify({ columns, rows }));
