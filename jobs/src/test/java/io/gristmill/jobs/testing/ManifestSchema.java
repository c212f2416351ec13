package io.gristmill.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Validates a snapshot's {@code manifest.json} against core's one manifest schema ({@code
 * io/gristmill/core/snapshot/manifest.schema.json}) with an independent JSON Schema validator
 * (networknt), and checks that its per-input accounting sums to its totals.
 */
public final class ManifestSchema {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = load();

  private ManifestSchema() {}

  private static JsonSchema load() {
    try (InputStream in =
        ManifestSchema.class.getResourceAsStream(
            "/io/gristmill/core/snapshot/manifest.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and validates {@code snapshotDir/manifest.json}; returns it as a tree. */
  public static JsonNode assertValid(Path snapshotDir) {
    return assertValidFile(snapshotDir.resolve("manifest.json"));
  }

  /** Validates one manifest file (e.g. a shard export's {@code export_manifest.json}). */
  public static JsonNode assertValidFile(Path manifest) {
    try {
      JsonNode m = JSON.readTree(Files.readAllBytes(manifest));
      Set<ValidationMessage> errors = SCHEMA.validate(m);
      assertThat(errors).as("schema errors of %s", manifest).isEmpty();
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Validates, then checks that rows read = kept + rejected for every input and that the inputs'
   * kept and rejected rows sum to the snapshot's {@code data} and {@code rejected} outputs.
   */
  public static JsonNode assertAccounted(Path snapshotDir) {
    JsonNode m = assertValid(snapshotDir);
    long kept = 0;
    long rejected = 0;
    for (JsonNode in : m.get("inputs")) {
      long read = in.get("rows_read").asLong();
      long k = in.get("rows_kept").asLong();
      long r = in.get("rows_rejected").asLong();
      assertThat(read).as("rows read of %s", in.get("path")).isEqualTo(k + r);
      long byStage = 0;
      for (JsonNode n : in.path("rejected_by_stage")) {
        byStage += n.asLong();
      }
      assertThat(byStage).as("rejected by stage of %s", in.get("path")).isEqualTo(r);
      kept += k;
      rejected += r;
    }
    assertThat(kept).as("kept rows over inputs").isEqualTo(m.get("outputs").get("data").asLong());
    assertThat(rejected)
        .as("rejected rows over inputs")
        .isEqualTo(m.get("outputs").get("rejected").asLong());
    return m;
  }
}
