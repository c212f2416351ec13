package io.gristmill.curation.decontam;

import io.gristmill.core.stage.StageReport;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@link DecontaminationSparkStage#run} returns.
 *
 * @param kept clean rows (policy remove, input schema), or every row with a {@code contamination}
 *     column (policy flag: array of {benchmark, item, overlap}, empty when clean)
 * @param rejected contaminated rows under policy remove ({@code SparkSchemas.REJECTED}, reason
 *     {@code contaminated}, {@code duplicate_of} = "benchmark:item" of the best match, {@code
 *     similarity} = its overlap); empty under policy flag
 * @param report rows in, kept, rejected per reason, seconds
 * @param perBenchmark contaminated rows per benchmark (a row matching two benchmarks counts in
 *     both), sorted by name
 * @param indexedItems benchmark items in the n-gram index
 * @param unindexedItems items shorter than n words, per benchmark (cannot be matched)
 * @param boilerplateNgrams distinct n-grams ignored because too many items share them
 * @param perKind contaminated rows per benchmark and match kind, keys {@code benchmark/verbatim}
 *     and {@code benchmark/paraphrase}, sorted
 */
public record DecontaminationResult(
    Dataset<Row> kept,
    Dataset<Row> rejected,
    StageReport report,
    Map<String, Long> perBenchmark,
    int indexedItems,
    Map<String, Integer> unindexedItems,
    long boilerplateNgrams,
    Map<String, Long> perKind) {}
