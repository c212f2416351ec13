package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Host-side inputs of one forward pass over left-padded sequences: token ids for positions [start,
 * start+T), rotary cos/sin at each row's own positions (position 0 is the first real token, so
 * padding does not shift positions), and the additive mask that hides padding, the future and, with
 * a sliding window, keys {@code window} or more positions back. A padded query still sees itself,
 * so no softmax row is empty. Decode steps of the KV-cache schedulers use {@link #decode}: every
 * row's sequence starts at column 0 and only the columns after its own position are masked.
 */
final class BatchInputs {
  private final long[] ids;
  private final float[] cos;
  private final float[] sin;
  private final float[] mask;
  private final int b;
  private final int t;
  private final int len;
  private final int hd;

  /**
   * @param start per row, the column of its first token (its tokens are at [start[r], start[r] +
   *     T))
   * @param len the columns attended (the mask's last dimension)
   */
  private BatchInputs(
      long[] ids, int[] pad, int b, int t, int[] start, int len, ModelConfig cfg, int[] ropeLen) {
    this.ids = ids;
    this.b = b;
    this.t = t;
    this.len = len;
    this.hd = cfg.headDim();
    int half = hd / 2;
    int window = cfg.slidingWindow();
    float[] shared = cfg.rope().dependsOnLength() ? null : cfg.invFreq(0);
    cos = new float[b * t * hd];
    sin = new float[b * t * hd];
    mask = new float[b * t * len];
    for (int r = 0; r < b; r++) {
      float[] invFreq = shared != null ? shared : cfg.invFreq(ropeLen[r]);
      for (int i = 0; i < t; i++) {
        int q = start[r] + i;
        int pos = Math.max(0, q - pad[r]);
        int base = (r * t + i) * hd;
        for (int j = 0; j < half; j++) {
          float angle = pos * invFreq[j];
          float c = (float) Math.cos(angle);
          float s = (float) Math.sin(angle);
          cos[base + j] = c;
          cos[base + half + j] = c;
          sin[base + j] = s;
          sin[base + half + j] = s;
        }
        int mb = (r * t + i) * len;
        for (int k = 0; k < len; k++) {
          boolean visible = (k >= pad[r] && k <= q && (window <= 0 || q - k < window)) || k == q;
          mask[mb + k] = visible ? 0f : Float.NEGATIVE_INFINITY;
        }
      }
    }
  }

  /**
   * Inputs for positions [start, start + T) of rows that are left-padded by {@code pad[r]}.
   *
   * @param tokens [B][T] the ids at those positions
   * @param ropeLen per row, the length the sequence can reach (used by length-dependent rope
   *     scaling only; may be null otherwise)
   */
  static BatchInputs of(int[][] tokens, int[] pad, int start, ModelConfig c, int[] ropeLen) {
    int b = tokens.length;
    int t = tokens[0].length;
    long[] ids = new long[b * t];
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < t; i++) {
        ids[r * t + i] = tokens[r][i];
      }
    }
    int[] starts = new int[b];
    java.util.Arrays.fill(starts, start);
    return new BatchInputs(ids, pad, b, t, starts, start + t, c, ropeLen);
  }

  /**
   * Inputs of one decode step where every row's sequence starts at cache column 0 and its next
   * token goes to column {@code pos[r]} (its position), attending columns [0, {@code window}); the
   * columns after {@code pos[r]} are masked.
   */
  static BatchInputs decode(int[] tokens, int[] pos, int window, ModelConfig c, int[] ropeLen) {
    long[] ids = new long[tokens.length];
    for (int r = 0; r < tokens.length; r++) {
      ids[r] = tokens[r];
    }
    return new BatchInputs(ids, new int[tokens.length], tokens.length, 1, pos, window, c, ropeLen);
  }

  /**
   * Left-pads {@code rows} to the longest and builds the inputs of the whole sequences (their rope
   * length is their own length).
   */
  static BatchInputs prefill(int[][] rows, ModelConfig c) {
    int[] pad = padding(rows);
    int[] lens = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      lens[i] = rows[i].length;
    }
    return of(leftPad(rows, pad, 0), pad, 0, c, lens);
  }

  static int[] padding(int[][] rows) {
    int max = 0;
    for (int[] r : rows) {
      max = Math.max(max, r.length);
    }
    int[] pad = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      pad[i] = max - rows[i].length;
    }
    return pad;
  }

  static int[][] leftPad(int[][] rows, int[] pad, int padId) {
    int[][] out = new int[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new int[rows[i].length + pad[i]];
      java.util.Arrays.fill(out[i], 0, pad[i], padId);
      System.arraycopy(rows[i], 0, out[i], pad[i], rows[i].length);
    }
    return out;
  }

  NDArray ids(NDManager m) {
    return m.create(ids, new Shape(b, t)).toType(DataType.INT64, false);
  }

  NDArray[] rope(NDManager m) {
    Shape s = new Shape(b, 1, t, hd);
    return new NDArray[] {m.create(cos, s), m.create(sin, s)};
  }

  NDArray mask(NDManager m) {
    return m.create(mask, new Shape(b, 1, 1, t, len));
  }
}
