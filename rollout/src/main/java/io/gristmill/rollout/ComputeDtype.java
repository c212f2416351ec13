package io.gristmill.rollout;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.gristmill.core.Errors;
import java.util.List;

/**
 * The float dtype of weights, activations and the KV cache ({@code dtype} in the rollout config).
 * {@code auto} resolves to {@code float32} on the CPU and {@code bfloat16} on a CUDA device; {@code
 * float32} works everywhere; {@code float16} and {@code bfloat16} are accepted on CUDA only. An
 * explicit half dtype on the CPU is rejected (exit 2) rather than silently widened, because
 * libtorch's CPU half kernels are slow or missing and a run must not claim a precision it did not
 * use. Logits are always float32 (sampling and logprobs are computed from them on the host).
 */
public final class ComputeDtype {
  public static final String AUTO = "auto";
  public static final List<String> NAMES = List.of(AUTO, "float32", "float16", "bfloat16");

  private ComputeDtype() {}

  /**
   * The dtype a model runs in on {@code device}: {@code float32}, {@code float16} or {@code
   * bfloat16}.
   *
   * @throws io.gristmill.core.GristmillException (config, exit 2) for an unknown name or a half
   *     dtype on the CPU
   */
  public static String resolve(String requested, Device device) {
    String r = requested == null ? AUTO : requested;
    if (!NAMES.contains(r)) {
      throw Errors.configInvalidValue("rollout", "dtype", r, "one of " + NAMES);
    }
    boolean gpu = Device.Type.GPU.equals(device.getDeviceType());
    if (r.equals(AUTO)) {
      return gpu ? "bfloat16" : "float32";
    }
    if (!gpu && !r.equals("float32")) {
      throw Errors.configInvalidValue(
          "rollout",
          "dtype",
          r,
          "auto or float32 on the CPU ("
              + r
              + " runs on CUDA devices only; the CPU computes in"
              + " float32)");
    }
    return r;
  }

  static DataType dataType(String resolved) {
    return switch (resolved) {
      case "float16" -> DataType.FLOAT16;
      case "bfloat16" -> DataType.BFLOAT16;
      default -> DataType.FLOAT32;
    };
  }
}
