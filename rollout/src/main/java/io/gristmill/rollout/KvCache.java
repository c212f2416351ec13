package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for a batch, preallocated to a fixed length so that a decode step
 * writes one position in place instead of copying the whole cache. Owns native memory: close it.
 */
final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final int capacity;

  KvCache(NDManager parent, ModelConfig c, int batch, int capacity) {
    this.manager = parent.newSubManager();
    this.capacity = capacity;
    this.keys = new NDArray[c.nLayers()];
    this.values = new NDArray[c.nLayers()];
    Shape s = new Shape(batch, c.nKvHeads(), capacity, c.headDim());
    for (int l = 0; l < c.nLayers(); l++) {
      keys[l] = manager.zeros(s, DataType.FLOAT32);
      values[l] = manager.zeros(s, DataType.FLOAT32);
    }
  }

  int capacity() {
    return capacity;
  }

  /** Writes {@code k} and {@code v} ([B, KV, T, hd]) at positions [start, start+T). */
  void write(int layer, int start, NDArray k, NDArray v) {
    long t = k.getShape().get(2);
    NDIndex at = new NDIndex(":, :, {}:{}", start, start + t);
    keys[layer].set(at, k);
    values[layer].set(at, v);
  }

  /** Keys of positions [0, length) as a view. */
  NDArray keys(int layer, int length) {
    return keys[layer].get(new NDIndex(":, :, :{}", length));
  }

  NDArray values(int layer, int length) {
    return values[layer].get(new NDIndex(":, :, :{}", length));
  }

  @Override
  public void close() {
    manager.close();
  }
}
