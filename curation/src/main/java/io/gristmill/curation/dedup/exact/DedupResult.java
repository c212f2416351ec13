package io.gristmill.curation.dedup.exact;

import io.gristmill.core.stage.StageReport;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What exact dedup produced.
 *
 * @param kept the surviving conversations (CONVERSATION schema)
 * @param rejected the dropped ones (REJECTED schema, stage {@code exact_dedup} with reason {@code
 *     exact_duplicate} or stage {@code prompt_dedup} with reason {@code prompt_duplicate}; each the
 *     dropped row itself (its id, file, line, messages, metadata) with {@code duplicate_of} and
 *     {@code duplicate_of_original_id} of the row kept)
 * @param reports one report per stage that ran ({@code exact_dedup}, {@code prompt_dedup}), in that
 *     order
 */
public record DedupResult(Dataset<Row> kept, Dataset<Row> rejected, List<StageReport> reports) {}
