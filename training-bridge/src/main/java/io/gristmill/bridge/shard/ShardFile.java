package io.gristmill.bridge.shard;

import java.io.Serializable;

/**
 * One shard file as written by a task, before publication.
 *
 * @param index the shard number (the file is published as {@code shard-NNNNN.arrow})
 * @param tempPath where the task wrote it, under the output's {@code _tmp} folder
 * @param rows rows in the file
 * @param bytes file size
 * @param sha256 hex SHA-256 of the file bytes
 * @param tokens sum of the token-column lengths over all rows
 * @param trainableTokens tokens that are trained (loss mask 1, or response tokens)
 * @param minTokens fewest tokens in one row ({@code Long.MAX_VALUE} when empty)
 * @param maxTokens most tokens in one row
 */
public record ShardFile(
    int index,
    String tempPath,
    long rows,
    long bytes,
    String sha256,
    long tokens,
    long trainableTokens,
    long minTokens,
    long maxTokens)
    implements Serializable {

  public static String fileName(int index) {
    return String.format(java.util.Locale.ROOT, "shard-%05d.arrow", index);
  }
}
