package io.gristmill.rollout.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.gristmill.core.Errors;

/**
 * A fixed set of vectors (rows of an [N, D] float32 matrix) on one device, scored against batches
 * of queries by one matrix product: the dot products [B][N] (cosines, for unit vectors). A scan in
 * Java reads the whole matrix once per query (63 MB at N = 20,525, D = 768) and is memory-bound;
 * one product per batch reads it once per batch. Owns native memory; close it. Thread-safe for
 * concurrent calls.
 */
public final class VectorSearch implements AutoCloseable {
  private final NDManager manager;
  private final NDArray matrixT;
  private final int n;
  private final int dim;

  /** {@code flat}: N rows of {@code dim} floats, row-major. */
  public VectorSearch(float[] flat, int dim, Device device) {
    if (dim < 1 || flat.length % dim != 0) {
      throw Errors.invalidValue("dim", dim, "a positive divisor of " + flat.length);
    }
    this.dim = dim;
    this.n = flat.length / dim;
    this.manager = Engine.getEngine("PyTorch").newBaseManager(device);
    try {
      NDArray m = manager.create(flat, new Shape(n, dim));
      this.matrixT = m.transpose().duplicate();
      m.close();
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public int size() {
    return n;
  }

  /** The dot products of each query with every row, [B][N]. */
  @SuppressWarnings("try") // the scope closes the product's arrays
  public float[][] scores(float[][] queries) {
    int b = queries.length;
    if (b == 0 || n == 0) {
      return new float[b][n];
    }
    float[] q = new float[b * dim];
    for (int i = 0; i < b; i++) {
      if (queries[i].length != dim) {
        throw Errors.invalidValue("query", queries[i].length, "a vector of size " + dim);
      }
      System.arraycopy(queries[i], 0, q, i * dim, dim);
    }
    float[] flat;
    try (NDScope ignored = new NDScope()) {
      flat = manager.create(q, new Shape(b, dim)).matMul(matrixT).toFloatArray();
    }
    float[][] out = new float[b][n];
    for (int i = 0; i < b; i++) {
      System.arraycopy(flat, i * n, out[i], 0, n);
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
