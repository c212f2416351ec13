package io.gristmill.curation.dedup.near;

import io.gristmill.core.stage.StageReport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@link NearDedupSparkStage#run} returns.
 *
 * @param kept input rows that are not near-duplicates (input schema)
 * @param rejected the other rows, {@code SparkSchemas.REJECTED}, reason {@code near_duplicate},
 *     with {@code duplicate_of}, {@code duplicate_of_original_id} and {@code similarity}
 * @param state signatures of everything kept, including rows kept by the prior state; write it with
 *     {@link NearDedupStateSparkStage#write}
 * @param report rows in, kept, rejected per reason, seconds
 * @param info banding chosen and graph sizes
 */
public record NearDedupResult(
    Dataset<Row> kept, Dataset<Row> rejected, Dataset<Row> state, StageReport report, Info info) {

  /**
   * @param bands LSH bands chosen from the threshold
   * @param rows rows per band
   * @param falsePositiveArea the banding's false-positive area below the threshold
   * @param falseNegativeArea the banding's false-negative area above the threshold
   * @param candidatePairs distinct candidate pairs from the band buckets
   * @param verifiedEdges candidate pairs at or above the threshold
   * @param clusters clusters that reject at least one row (components with two or more members)
   * @param rounds rounds of the connected-components algorithm
   * @param tooShort rows with fewer than min_tokens words (never merged)
   */
  public record Info(
      int bands,
      int rows,
      double falsePositiveArea,
      double falseNegativeArea,
      long candidatePairs,
      long verifiedEdges,
      long clusters,
      int rounds,
      long tooShort) {
    /** One line for logs and reports. */
    public String summary() {
      return String.format(
          "LSH %d bands x %d rows (FP area %.4f, FN area %.4f); %d candidate pairs, %d verified"
              + " edges, %d clusters in %d rounds; %d rows too short to compare",
          bands,
          rows,
          falsePositiveArea,
          falseNegativeArea,
          candidatePairs,
          verifiedEdges,
          clusters,
          rounds,
          tooShort);
    }
  }
}
