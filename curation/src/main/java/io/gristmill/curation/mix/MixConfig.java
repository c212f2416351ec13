package io.gristmill.curation.mix;

import io.gristmill.core.Errors;
import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mixing recipe (YAML section {@code mix}), applied in this order: proxies, thresholds, filters,
 * add-back, source quotas, category caps, target total. Every step is deterministic: rows are
 * ordered by a seeded hash of their id, never sampled.
 *
 * @param enabled run the stage (default true when the section is present)
 * @param seed seeds the hash order (default 0)
 * @param proxies column to a Spark SQL expression used where the column is null (e.g. a reward
 *     proxy when no reward model ran); the report says how many rows used each proxy
 * @param thresholds values computed from the data, referred to as {@code ${NAME}} in filter and
 *     add-back expressions
 * @param filters named Spark SQL boolean expressions; a row failing one is rejected as {@code
 *     mix_filter:NAME} (the first it fails, in list order)
 * @param addBack TuluTalk's add-back of categories whose share fell; null for none
 * @param sources per-source quotas; sources not listed keep all their rows
 * @param categoryColumn the column caps and add-back group by (default {@code task_category})
 * @param categoryCaps category to a row count (a whole number) or a fraction of the rows entering
 *     the cap step (below 1); rows over the cap are rejected as {@code mix_cap:CATEGORY}
 * @param target the total, in rows or tokens; rows past it are rejected as {@code mix_total}
 */
public record MixConfig(
    Boolean enabled,
    Long seed,
    Map<String, String> proxies,
    List<Threshold> thresholds,
    List<Filter> filters,
    AddBack addBack,
    Map<String, Quota> sources,
    String categoryColumn,
    Map<String, Double> categoryCaps,
    Target target)
    implements Serializable {

  /** A percentile of a column over the rows matching {@code where} (all rows when null). */
  public record Threshold(String name, String column, Double percentile, String where)
      implements Serializable {
    public Threshold {
      Check.requiredText("mix.thresholds.name", name);
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw Errors.invalidValue("mix.thresholds.name", name, "letters, digits and '_'");
      }
      Check.requiredText("mix.thresholds.column", column);
      percentile = Check.doubleInRange("mix.thresholds.percentile", percentile, -1, 0.0, 1.0);
    }
  }

  /** A named Spark SQL boolean expression rows must satisfy. */
  public record Filter(String name, String expr) implements Serializable {
    public Filter {
      Check.requiredText("mix.filters.name", name);
      Check.requiredText("mix.filters.expr", expr);
    }
  }

  /**
   * Rows rejected by the filters are added back when their category's share of the kept rows fell
   * by more than {@code shareDropPct} percent of its share of the input (relative), and they
   * satisfy {@code expr}.
   */
  public record AddBack(Double shareDropPct, String expr) implements Serializable {
    public AddBack {
      shareDropPct =
          Check.doubleInRange("mix.add_back.share_drop_pct", shareDropPct, 10.0, 0.0, 100.0);
      Check.requiredText("mix.add_back.expr", expr);
    }
  }

  /**
   * How many rows of a source: {@code count} rows, a {@code fraction} of its rows after filters
   * (above 1 upsamples), or a {@code weight}: its share of {@code target.rows}. Above the rows
   * available, rows repeat whole times and a seeded set of extras fills the rest.
   */
  public record Quota(Long count, Double fraction, Double weight) implements Serializable {
    public Quota {
      int set = (count != null ? 1 : 0) + (fraction != null ? 1 : 0) + (weight != null ? 1 : 0);
      if (set != 1) {
        throw Errors.invalidValue(
            "mix.sources", "{count, fraction, weight}", "exactly one of count, fraction or weight");
      }
      if ((count != null && count < 0)
          || (fraction != null && fraction < 0)
          || (weight != null && weight <= 0)) {
        throw Errors.invalidValue(
            "mix.sources",
            count != null ? count : fraction != null ? fraction : weight,
            "a non-negative number (weight: positive)");
      }
    }
  }

  /** The total: {@code rows}, or {@code tokens} summed over {@code token_column}. */
  public record Target(Long rows, Long tokens, String tokenColumn) implements Serializable {
    public Target {
      if ((rows == null) == (tokens == null)) {
        throw Errors.invalidValue("mix.target", "{rows, tokens}", "exactly one of rows or tokens");
      }
      tokenColumn =
          Check.orDefault(tokenColumn, "coalesce(tokens_user, 0) + coalesce(tokens_assistant, 0)");
    }
  }

  public MixConfig {
    enabled = Check.orDefault(enabled, true);
    seed = Check.orDefault(seed, 0L);
    proxies =
        proxies == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(proxies));
    thresholds = Check.listOrEmpty(thresholds);
    filters = Check.listOrEmpty(filters);
    sources =
        sources == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    categoryColumn = Check.orDefault(categoryColumn, "task_category");
    categoryCaps =
        categoryCaps == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(categoryCaps));
    boolean weights = sources.values().stream().anyMatch(q -> q.weight() != null);
    if (weights && (target == null || target.rows() == null)) {
      throw Errors.invalidValue(
          "mix.sources", "weight", "a target in rows (mix.target.rows) when a source has a weight");
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Filter f : filters) {
      if (!names.add(f.name())) {
        throw Errors.invalidValue("mix.filters.name", f.name(), "distinct filter names");
      }
    }
  }
}
