package io.gristmill.curation.dedup.exact;

import io.gristmill.core.stage.StageReport;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What exact dedup produced.
 *
 * @param kept the surviving conversations (CONVERSATION schema)
 * @param rejected the dropped ones (REJECTED schema, stage {@code exact_dedup}, reason {@code
 *     exact_duplicate} or {@code prompt_duplicate}, with {@code duplicate_of} and {@code
 *     duplicate_of_original_id} of the row kept and the dropped row's full messages and metadata)
 * @param reports one report per level that ran ({@code exact_dedup.conversation}, {@code
 *     exact_dedup.prompt}), in that order
 */
public record DedupResult(Dataset<Row> kept, Dataset<Row> rejected, List<StageReport> reports) {}
