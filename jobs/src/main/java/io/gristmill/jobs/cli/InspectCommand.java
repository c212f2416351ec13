package io.gristmill.jobs.cli;

import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gristmill inspect PATH}: for {@code ROOT/DATASET}, print a snapshot's manifest counts; for
 * a shard folder (a {@code manifest.json} with shards), print its manifest summary and verify the
 * shards' checksums. No Spark.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Print the counts of a dataset's latest (or a given) snapshot.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "PATH",
      description = "ROOT/<dataset>, or a shard folder written by export")
  String datasetDir;

  @Option(names = "--snapshot", paramLabel = "ID", description = "A snapshot id (default: LATEST)")
  String snapshotId;

  @Option(names = "--list", description = "List the dataset's complete snapshots.")
  boolean list;

  @Option(
      names = "--no-verify",
      description = "Shard folders: skip the sha256 check of each shard.")
  boolean noVerify;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    java.nio.file.Path local = java.nio.file.Path.of(datasetDir);
    if (java.nio.file.Files.isRegularFile(local.resolve("manifest.json"))
        && !java.nio.file.Files.exists(local.resolve(SnapshotStore.LATEST))) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(io.gristmill.bridge.ShardInspector.inspect(local, !noVerify));
      out.flush();
      return 0;
    }
    SnapshotStore store =
        new SnapshotStore(new Path(datasetDir), io.gristmill.jobs.HadoopConfs.beforeSpark());
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      store.completeSnapshots().forEach(out::println);
      out.flush();
      return 0;
    }
    String id = snapshotId != null ? snapshotId : store.requireLatest();
    SnapshotManifest m = store.readManifest(id);
    out.println(io.gristmill.core.snapshot.SnapshotSummary.render(m));
    out.println("Snapshot: " + store.snapshotDir(id));
    out.flush();
    return 0;
  }
}
