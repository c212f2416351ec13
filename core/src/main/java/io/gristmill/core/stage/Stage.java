package io.gristmill.core.stage;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One step of a {@link Pipeline}: rows in, kept and rejected rows out. A stage is built from its
 * own typed config section and is otherwise stateless; everything a run knows (the Spark session,
 * the Hadoop conf, an earlier snapshot) comes in the {@link StageContext}.
 *
 * <p>The contract, checked by the pipeline: every input row is either kept or rejected ({@code
 * report.rowsIn == report.kept + rejected}, and {@code rowsIn} equals the previous stage's kept
 * count); rejected rows have the core REJECTED columns with {@code stage} = {@link #name()}; a
 * stage never drops a row silently. A stage with no input (ingest) receives {@code null}.
 */
public interface Stage {
  /** The name written to the {@code stage} column of its rejected rows and to reports. */
  String name();

  /** Runs the stage. Datasets in the output may be lazy; the report's counts are final. */
  StageOutput apply(Dataset<Row> input, StageContext context);
}
