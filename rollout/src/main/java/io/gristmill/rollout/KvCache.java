package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for a batch, preallocated to a fixed length so that a decode step
 * writes one position in place instead of copying the whole cache. Keys are stored transposed, [B,
 * KV, hd, capacity], so that a window of columns is the right operand of the score product as it is
 * (rows of contiguous columns); through a [B, KV, L, hd] window transposed, libtorch's batched
 * product of the small per-head matrices took ~2.4x as long on stories260K's shapes at batch 64
 * (~1.2x on a 15M Llama's; one microbenchmark on a loaded machine). Values are [B, KV, capacity,
 * hd]. Rows are sequence slots, each holding its sequence from column 0: a slot is filled from a
 * prompt's prefill cache ({@link #copyRow}) and each decode step writes every row at its own column
 * ({@link #writeRows}). Owns native memory: close it.
 */
final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final int capacity;
  private final long bytesPerRow;

  KvCache(NDManager parent, ModelConfig c, int batch, int capacity, DataType dtype) {
    this.manager = parent.newSubManager();
    this.capacity = capacity;
    this.keys = new NDArray[c.nLayers()];
    this.values = new NDArray[c.nLayers()];
    Shape s = new Shape(batch, c.nKvHeads(), capacity, c.headDim());
    Shape st = new Shape(batch, c.nKvHeads(), c.headDim(), capacity);
    this.bytesPerRow = bytesPerRow(c, capacity, dtype);
    for (int l = 0; l < c.nLayers(); l++) {
      keys[l] = manager.zeros(st, dtype);
      values[l] = manager.zeros(s, dtype);
    }
  }

  int capacity() {
    return capacity;
  }

  /** Bytes one row (sequence slot) holds: layers x (keys + values) x kv heads x capacity x hd. */
  long bytesPerRow() {
    return bytesPerRow;
  }

  static long bytesPerRow(ModelConfig c, int capacity, DataType dtype) {
    return 2L * c.nLayers() * c.nKvHeads() * capacity * c.headDim() * dtype.getNumOfBytes();
  }

  /** Keys of columns [from, to), transposed ([B, KV, hd, to - from]), as a view. */
  NDArray keysTransposed(int layer, int from, int to) {
    return keys[layer].get(new NDIndex(":, :, :, {}:{}", from, to));
  }

  NDArray values(int layer, int from, int to) {
    return values[layer].get(new NDIndex(":, :, {}:{}", from, to));
  }

  /**
   * Copies columns [srcFrom, srcTo) of row {@code srcRow} of {@code src} into row {@code dstRow}
   * starting at column {@code dstFrom}. Call inside an NDScope (the views are temporary).
   */
  void copyRow(KvCache src, int srcRow, int srcFrom, int srcTo, int dstRow, int dstFrom) {
    NDIndex from = new NDIndex("{}, :, {}:{}", srcRow, srcFrom, srcTo);
    NDIndex to = new NDIndex("{}, :, {}:{}", dstRow, dstFrom, dstFrom + (srcTo - srcFrom));
    NDIndex fromT = new NDIndex("{}, :, :, {}:{}", srcRow, srcFrom, srcTo);
    NDIndex toT = new NDIndex("{}, :, :, {}:{}", dstRow, dstFrom, dstFrom + (srcTo - srcFrom));
    for (int l = 0; l < keys.length; l++) {
      keys[l].set(toT, src.keys[l].get(fromT));
      values[l].set(to, src.values[l].get(from));
    }
  }

  /** Writes {@code k} and {@code v} ([B, KV, T, hd]) at positions [start, start+T). */
  void write(int layer, int start, NDArray k, NDArray v) {
    long t = k.getShape().get(2);
    NDIndex at = new NDIndex(":, :, {}:{}", start, start + t);
    keys[layer].set(new NDIndex(":, :, :, {}:{}", start, start + t), k.transpose(0, 1, 3, 2));
    values[layer].set(at, v);
  }

  /**
   * Writes one position per row: row {@code rows[i]}'s key and value ({@code k}, {@code v}: [B, KV,
   * 1, hd]) at column {@code cols[i]} (int64 index arrays of length B), in place.
   */
  void writeRows(int layer, NDArray rows, NDArray cols, NDArray k, NDArray v) {
    Shape s = new Shape(k.getShape().get(0), k.getShape().get(1), k.getShape().get(3));
    keys[layer].set(new NDIndex("{}, :, :, {}", rows, cols), k.reshape(s));
    values[layer].set(new NDIndex("{}, :, {}, :", rows, cols), v.reshape(s));
  }

  @Override
  public void close() {
    manager.close();
  }
}
