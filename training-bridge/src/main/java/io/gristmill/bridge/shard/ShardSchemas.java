package io.gristmill.bridge.shard;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The versioned Arrow schemas of Gristmill shards. The kind and version are stored twice: in the
 * Arrow schema metadata of every shard ({@value #META_KIND}, {@value #META_VERSION}) and in {@code
 * manifest.json}, so a shard file that travels alone still says what it is.
 *
 * <p>SFT ({@code sft} v1): {@code id}, {@code source}, {@code input_ids} (list&lt;int32&gt;),
 * {@code loss_mask} (list&lt;int8&gt;, 1 on assistant tokens only), {@code num_tokens} (int32).
 *
 * <p>RL ({@code rl} v1): {@code prompt_id}, {@code sample_index} (int32), {@code data_source},
 * {@code prompt_ids}, {@code response_ids} (list&lt;int32&gt;), {@code response_logprobs}
 * (list&lt;float32&gt;), {@code reward}, {@code advantage}, {@code pass_rate} (float32, nullable),
 * {@code difficulty_bucket} (utf8, nullable).
 *
 * <p>Prompt-only RL sets for online trainers ({@code prompts} v1): {@code prompt_id}, {@code
 * data_source}, {@code prompt} (list&lt;struct&lt;role, content&gt;&gt;), {@code ground_truth}
 * (nullable), {@code difficulty} and {@code curriculum_weight} (float32, nullable).
 */
public final class ShardSchemas {
  private ShardSchemas() {}

  public static final String META_KIND = "gristmill.shard_kind";
  public static final String META_VERSION = "gristmill.schema_version";

  /** Schema metadata key of the buffer compression ({@code none}, {@code lz4} or {@code zstd}). */
  public static final String META_COMPRESSION = "gristmill.compression";

  public static final int VERSION = 1;

  /** What a shard holds; {@link #code()} is the manifest's {@code kind}. */
  public enum Kind {
    SFT,
    RL,
    PROMPTS;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final Schema SFT =
      schema(
          Kind.SFT,
          List.of(
              utf8("id", false),
              utf8("source", false),
              list("input_ids", new ArrowType.Int(32, true)),
              list("loss_mask", new ArrowType.Int(8, true)),
              prim("num_tokens", new ArrowType.Int(32, true), false)));

  public static final Schema RL =
      schema(
          Kind.RL,
          List.of(
              utf8("prompt_id", false),
              prim("sample_index", new ArrowType.Int(32, true), false),
              utf8("data_source", false),
              list("prompt_ids", new ArrowType.Int(32, true)),
              list("response_ids", new ArrowType.Int(32, true)),
              list("response_logprobs", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
              prim("reward", float32(), false),
              prim("advantage", float32(), false),
              prim("pass_rate", float32(), true),
              utf8("difficulty_bucket", true)));

  public static final Schema PROMPTS =
      schema(
          Kind.PROMPTS,
          List.of(
              utf8("prompt_id", false),
              utf8("data_source", false),
              chat("prompt"),
              utf8("ground_truth", true),
              prim("difficulty", float32(), true),
              prim("curriculum_weight", float32(), true)));

  public static Schema of(Kind kind) {
    return switch (kind) {
      case SFT -> SFT;
      case RL -> RL;
      case PROMPTS -> PROMPTS;
    };
  }

  /**
   * The schema of {@code kind} as written to a shard file and the manifest: {@link #of(Kind)} plus
   * {@value #META_COMPRESSION} in its metadata.
   */
  public static Schema of(Kind kind, String compression) {
    Schema base = of(kind);
    Map<String, String> meta = new TreeMap<>(base.getCustomMetadata());
    meta.put(META_COMPRESSION, compression);
    return new Schema(base.getFields(), meta);
  }

  /** The list columns whose lengths count as tokens, for the manifest's token statistics. */
  public static List<String> tokenColumns(Kind kind) {
    return switch (kind) {
      case SFT -> List.of("input_ids");
      case RL -> List.of("prompt_ids", "response_ids");
      case PROMPTS -> List.of();
    };
  }

  /** The column whose 1s (SFT) or length (RL) count as trained tokens, or null. */
  public static String trainableColumn(Kind kind) {
    return switch (kind) {
      case SFT -> "loss_mask";
      case RL -> "response_ids";
      case PROMPTS -> null;
    };
  }

  private static Schema schema(Kind kind, List<Field> fields) {
    Map<String, String> meta = new TreeMap<>();
    meta.put(META_KIND, kind.code());
    meta.put(META_VERSION, Integer.toString(VERSION));
    return new Schema(fields, meta);
  }

  private static ArrowType float32() {
    return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
  }

  private static Field utf8(String name, boolean nullable) {
    return prim(name, ArrowType.Utf8.INSTANCE, nullable);
  }

  private static Field prim(String name, ArrowType type, boolean nullable) {
    return new Field(name, new FieldType(nullable, type, null), null);
  }

  private static Field chat(String name) {
    Field message =
        new Field(
            "item",
            new FieldType(false, ArrowType.Struct.INSTANCE, null),
            List.of(utf8("role", false), utf8("content", false)));
    return new Field(name, new FieldType(false, ArrowType.List.INSTANCE, null), List.of(message));
  }

  private static Field list(String name, ArrowType element) {
    Field item = new Field("item", new FieldType(false, element, null), null);
    return new Field(name, new FieldType(false, ArrowType.List.INSTANCE, null), List.of(item));
  }
}
