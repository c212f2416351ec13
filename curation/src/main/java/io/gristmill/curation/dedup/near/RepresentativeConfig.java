package io.gristmill.curation.dedup.near;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * How the one kept member of a near-duplicate cluster is chosen (YAML {@code
 * near_dedup.representative}). Members are ordered by, in turn: rows kept by an earlier snapshot
 * first; position of their source in {@code source_priority} (unlisted sources after listed ones);
 * the {@code quality_column}, higher first, when the input has that column (missing values last);
 * text length, longer first when {@code prefer_longer} (default true), else shorter first; id.
 */
public record RepresentativeConfig(
    List<String> sourcePriority, String qualityColumn, Boolean preferLonger)
    implements Serializable {
  public RepresentativeConfig {
    sourcePriority = Check.listOrEmpty(sourcePriority);
    if (qualityColumn != null && qualityColumn.isBlank()) {
      throw io.gristmill.core.Errors.invalidValue(
          "quality_column", qualityColumn, "a column name or no key");
    }
    preferLonger = Check.orDefault(preferLonger, true);
  }

  public static RepresentativeConfig defaults() {
    return new RepresentativeConfig(null, null, null);
  }
}
