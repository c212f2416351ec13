package io.gristmill.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.snapshot.SnapshotManifest;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON line every command run ends with, on stderr, for log collectors (stdout keeps its
 * last line for scripts): {@code {"gristmill_run":1,"command":..,"status":"ok"|"error",
 * "exit_code":..,"seconds":..,...}} plus what the command recorded ({@code dataset}, {@code
 * snapshot}, row counts, {@code refresh_mode}, ...) and, on failure, {@code error}. Commands add
 * fields with {@link #put}; {@link GristmillCli} writes the line.
 */
public final class RunSummary {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ThreadLocal<Map<String, Object>> FIELDS =
      ThreadLocal.withInitial(LinkedHashMap::new);
  private static final ThreadLocal<Long> START = new ThreadLocal<>();

  private RunSummary() {}

  /** Starts the record of one run. */
  static void begin(String command) {
    FIELDS.get().clear();
    FIELDS.get().put("command", command);
    START.set(System.nanoTime());
  }

  /** Records a field of this run (a later value replaces an earlier one). */
  public static void put(String key, Object value) {
    FIELDS.get().put(key, value);
  }

  /** Records a published snapshot: its dataset, id, folder and row counts. */
  static void snapshot(SnapshotManifest m, String dir) {
    put("dataset", m.dataset());
    put("job", m.job());
    put("snapshot", m.snapshotId());
    put("snapshot_dir", dir);
    if (m.previousSnapshot() != null) {
      put("previous_snapshot", m.previousSnapshot());
    }
    long read = m.inputs() == null ? 0 : m.inputs().stream().mapToLong(i -> i.rowsRead()).sum();
    put("inputs", m.inputs() == null ? 0 : m.inputs().size());
    put("rows_read", read);
    m.outputs().forEach((k, v) -> put("rows_" + k, v));
    if (m.properties() != null) {
      m.properties()
          .forEach(
              (k, v) -> {
                if (k.startsWith("refresh_")) {
                  put(k, v);
                }
              });
    }
  }

  /** Writes the line (once per run) and forgets the run. */
  static void emit(PrintWriter err, int exitCode, String error) {
    Map<String, Object> f = FIELDS.get();
    if (!f.containsKey("command")) {
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("gristmill_run", 1);
    line.put("command", f.get("command"));
    line.put("status", exitCode == 0 ? "ok" : "error");
    line.put("exit_code", exitCode);
    Long t0 = START.get();
    line.put("seconds", t0 == null ? 0.0 : Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
    line.put("finished_at", Instant.now().toString());
    f.forEach(line::putIfAbsent);
    if (error != null) {
      line.put("error", error);
    }
    try {
      err.println(MAPPER.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      err.println("{\"gristmill_run\":1,\"status\":\"error\",\"exit_code\":" + exitCode + "}");
    }
    err.flush();
    f.clear();
    START.remove();
  }
}
