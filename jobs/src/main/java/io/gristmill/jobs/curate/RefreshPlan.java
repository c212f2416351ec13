package io.gristmill.jobs.curate;

import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.curation.ingest.FileLister;
import io.gristmill.curation.ingest.SourceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;

/**
 * What {@code refresh} does, decided from the input listing and the {@code LATEST} snapshot alone
 * (no Spark, nothing written; {@code refresh --dry-run} prints it). Each input file is new, changed
 * (same path, other size or modification time), removed (in the snapshot, no longer listed) or
 * unchanged.
 *
 * <ul>
 *   <li>{@link Mode#CURATE}: no snapshot yet; everything is read.
 *   <li>{@link Mode#NOTHING}: nothing new, changed or removed; nothing is written.
 *   <li>{@link Mode#INCREMENTAL}: only new files; they are read and deduplicated against the
 *       snapshot, whose rows (kept and rejected) are carried forward.
 *   <li>{@link Mode#FULL}: {@code --full}, or an input changed or was removed. Its old rows must
 *       go, and rows that were rejected as duplicates of them must come back (as must the
 *       near-dedup signatures), so every current input is read again: the result equals a full
 *       {@code curate} of the same inputs.
 * </ul>
 *
 * @param previousSnapshot the {@code LATEST} snapshot, or null
 * @param added new input files
 * @param changed input files whose size or modification time changed
 * @param removed input files of the snapshot that are no longer listed
 * @param unchanged how many listed files the snapshot already reflects
 * @param oldRows rows each changed or removed file had in the snapshot (read, from its manifest)
 * @param fresh the sources narrowed to the new files (for an incremental run)
 * @param listed every listed input file, as it is now (for {@code inputs_seen.json})
 */
public record RefreshPlan(
    Mode mode,
    String reason,
    String previousSnapshot,
    List<String> added,
    List<String> changed,
    List<String> removed,
    int unchanged,
    Map<String, Long> oldRows,
    List<SourceConfig> fresh,
    List<SeenInputs.Seen> listed) {

  /** What the run does. */
  public enum Mode {
    CURATE,
    NOTHING,
    INCREMENTAL,
    FULL
  }

  /** Lists the inputs and compares them with the {@code LATEST} snapshot of {@code cfg}. */
  public static RefreshPlan of(CurateConfig cfg, Configuration conf, boolean full) {
    SnapshotStore store = new SnapshotStore(cfg.outputRoot(), cfg.dataset(), conf);
    List<SeenInputs.Seen> listed = new ArrayList<>();
    Map<String, SeenInputs.Seen> now = new TreeMap<>();
    List<SourceConfig> fresh = new ArrayList<>();
    String prevId = store.latest().orElse(null);
    Map<String, SeenInputs.Seen> before = new TreeMap<>();
    if (prevId != null) {
      SeenInputs.read(store.snapshotDir(prevId), conf).forEach(s -> before.put(s.path(), s));
    }
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (SourceConfig s : cfg.sources()) {
      List<String> freshFiles = new ArrayList<>();
      for (String f : FileLister.files(s, conf)) {
        SeenInputs.Seen st = SeenInputs.stat(f, conf);
        if (now.putIfAbsent(f, st) != null) {
          continue;
        }
        listed.add(st);
        SeenInputs.Seen old = before.get(f);
        if (old == null) {
          added.add(f);
          freshFiles.add(f);
        } else if (!old.equals(st)) {
          changed.add(f);
        }
      }
      if (!freshFiles.isEmpty()) {
        fresh.add(s.withPaths(freshFiles));
      }
    }
    TreeSet<String> removed = new TreeSet<>(before.keySet());
    removed.removeAll(now.keySet());
    int unchanged = now.size() - added.size() - changed.size();
    Map<String, Long> oldRows = new LinkedHashMap<>();
    Mode mode;
    String reason;
    if (prevId == null) {
      mode = Mode.CURATE;
      reason = "the dataset has no snapshot yet";
    } else {
      if (!changed.isEmpty() || !removed.isEmpty()) {
        Map<String, Long> rowsOf = new TreeMap<>();
        List<SnapshotManifest.InputFile> inputs = store.readManifest(prevId).inputs();
        if (inputs != null) {
          inputs.forEach(i -> rowsOf.merge(i.path(), i.rowsRead(), Long::sum));
        }
        changed.forEach(f -> oldRows.put(f, rowsOf.getOrDefault(f, 0L)));
        removed.forEach(f -> oldRows.put(f, rowsOf.getOrDefault(f, 0L)));
      }
      if (full) {
        mode = Mode.FULL;
        reason = "--full";
      } else if (!changed.isEmpty() || !removed.isEmpty()) {
        mode = Mode.FULL;
        reason =
            String.format(
                Locale.ROOT,
                "%d input(s) changed and %d removed since snapshot %s: their old rows go and rows"
                    + " rejected as their duplicates are examined again, so every input is read",
                changed.size(),
                removed.size(),
                prevId);
      } else if (!added.isEmpty()) {
        mode = Mode.INCREMENTAL;
        reason = added.size() + " new input file(s)";
      } else {
        mode = Mode.NOTHING;
        reason = "no input file is new, changed or removed since snapshot " + prevId;
      }
    }
    return new RefreshPlan(
        mode,
        reason,
        prevId,
        List.copyOf(added),
        List.copyOf(changed),
        List.copyOf(removed),
        unchanged,
        oldRows,
        List.copyOf(fresh),
        List.copyOf(listed));
  }

  /** Rows the changed and removed files had in the previous snapshot. */
  public long oldRowsOf(List<String> files) {
    return files.stream().mapToLong(f -> oldRows.getOrDefault(f, 0L)).sum();
  }

  /** The plan as {@code refresh --dry-run} prints it. */
  public String render(String dataset) {
    StringBuilder sb = new StringBuilder();
    sb.append("refresh --dry-run of dataset ")
        .append(dataset)
        .append(": nothing is read or written.\n");
    sb.append("previous snapshot: ")
        .append(previousSnapshot == null ? "(none)" : previousSnapshot)
        .append('\n');
    sb.append("would run: ").append(mode.name().toLowerCase(Locale.ROOT));
    sb.append(" (").append(reason).append(")\n");
    List<String> read =
        mode == Mode.FULL || mode == Mode.CURATE
            ? listed.stream().map(SeenInputs.Seen::path).toList()
            : added;
    sb.append(String.format(Locale.ROOT, "would read %d file(s):%n", read.size()));
    read.forEach(f -> sb.append("  ").append(f).append('\n'));
    sb.append(
        String.format(
            Locale.ROOT,
            "would replace the rows of %d changed file(s) (%d rows in the snapshot):%n",
            changed.size(),
            oldRowsOf(changed)));
    changed.forEach(f -> sb.append("  ").append(f).append('\n'));
    sb.append(
        String.format(
            Locale.ROOT,
            "would remove the rows of %d deleted file(s) (%d rows in the snapshot):%n",
            removed.size(),
            oldRowsOf(removed)));
    removed.forEach(f -> sb.append("  ").append(f).append('\n'));
    sb.append(String.format(Locale.ROOT, "unchanged: %d file(s)%n", unchanged));
    return sb.toString();
  }
}
