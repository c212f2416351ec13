package io.gristmill.jobs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders {@link ReportNumbers} as one self-contained HTML page: tables written here, charts drawn
 * in the browser by Chart.js, whose UMD bundle is read from its WebJar on the classpath and inlined
 * with the chart specs, so the page needs no network when it is opened. Pure Java, no Spark.
 *
 * <p>Every section has a stable id ({@link #SECTIONS}); a section without data says why instead of
 * showing an empty chart. After drawing, the page sets {@code data-charts-drawn} on {@code <body>}.
 */
public final class ReportHtml {
  /** The section ids, in page order. */
  public static final List<String> SECTIONS =
      List.of(
          "overview",
          "sources",
          "categories",
          "exclusions",
          "stages",
          "histograms",
          "dedup",
          "contamination",
          "recipe");

  static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
  private static final String OWN = "io/gristmill/jobs/report/";

  private static final ObjectMapper M = Json.mapper();

  private ReportHtml() {}

  /** The page for {@code n}. */
  public static String render(ReportNumbers n) {
    ArrayNode charts = M.createArrayNode();
    StringBuilder b = new StringBuilder(64 * 1024);
    ReportNumbers.Snapshot s = n.snapshot();
    String title = "Gristmill report: " + s.dataset() + " / " + s.snapshotId();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(esc(title))
        .append("</title>\n<style>\n")
        .append(resource(OWN + "report.css"))
        .append("</style>\n</head>\n<body>\n<header><h1>")
        .append(esc(title))
        .append("</h1>\n<p class=\"meta\">job <b>")
        .append(esc(s.job()))
        .append("</b>")
        .append(s.kind() == null ? "" : " · kind " + esc(s.kind()))
        .append(" · written ")
        .append(esc(s.createdAt()))
        .append(" by Gristmill ")
        .append(esc(s.codeVersion()));
    if (s.previousSnapshot() != null) {
      b.append(" · builds on ").append(esc(s.previousSnapshot()));
    }
    b.append("</p>\n<nav>");
    for (String id : SECTIONS) {
      b.append("<a href=\"#").append(id).append("\">").append(id).append("</a> ");
    }
    b.append("</nav>\n</header>\n<main>\n");

    overview(b, n);
    sources(b, n, charts);
    categories(b, n, charts);
    exclusions(b, n, charts);
    stages(b, n);
    histograms(b, n, charts);
    dedup(b, n, charts);
    contamination(b, n, charts);
    recipe(b, n);

    b.append("</main>\n<script>\n")
        .append(script(resource(CHART_JS)))
        .append("\n</script>\n<script type=\"application/json\" id=\"report-charts\">")
        .append(jsonInScript(charts))
        .append("</script>\n<script>\n")
        .append(script(resource(OWN + "report.js")))
        .append("</script>\n</body>\n</html>\n");
    return b.toString();
  }

  private static void overview(StringBuilder b, ReportNumbers n) {
    open(b, "overview", "Overview");
    ReportNumbers.Totals t = n.totals();
    b.append("<table class=\"totals\"><tr><th>rows read</th><th>kept</th><th>rejected</th></tr>")
        .append("<tr><td>")
        .append(t.rowsRead())
        .append("</td><td>")
        .append(t.rowsKept())
        .append("</td><td>")
        .append(t.rowsRejected())
        .append("</td></tr></table>\n");
    list(b, "Run summary", n.details());
    list(b, "What this report could not show", n.notes());
    close(b);
  }

  private static void sources(StringBuilder b, ReportNumbers n, ArrayNode charts) {
    open(b, "sources", "Rows per source, before and after");
    if (n.sources().isEmpty()) {
      empty(b, "This snapshot has no rows.");
    } else {
      ObjectNode c = chart(charts, "sources", "bar", false);
      labels(c, n.sources().stream().map(ReportNumbers.SourceCount::source).toList());
      dataset(c, "before (read)", n.sources().stream().map(x -> x.before()).toList());
      dataset(c, "after (kept)", n.sources().stream().map(x -> x.after()).toList());
      canvas(b, c);
      table(
          b,
          List.of("source", "before", "after", "kept %"),
          n.sources().stream()
              .map(
                  x ->
                      List.<Object>of(
                          x.source(), x.before(), x.after(), pct(x.after(), x.before())))
              .toList());
    }
    close(b);
  }

  private static void categories(StringBuilder b, ReportNumbers n, ArrayNode charts) {
    open(b, "categories", "Rows per task category");
    if (n.categories().isEmpty()) {
      empty(b, "No task_category column in this snapshot (the annotate stage did not run).");
    } else {
      boolean before = n.categories().stream().anyMatch(x -> x.before() != null);
      ObjectNode c = chart(charts, "categories", "bar", true);
      labels(c, n.categories().stream().map(ReportNumbers.CategoryCount::category).toList());
      if (before) {
        dataset(
            c,
            "before",
            n.categories().stream().map(x -> x.before() == null ? 0L : x.before()).toList());
      }
      dataset(c, "after", n.categories().stream().map(x -> x.after()).toList());
      canvas(b, c);
      table(
          b,
          List.of("category", "before", "after"),
          n.categories().stream()
              .map(
                  x ->
                      List.<Object>of(
                          x.category(), x.before() == null ? "" : x.before(), x.after()))
              .toList());
    }
    close(b);
  }

  private static void exclusions(StringBuilder b, ReportNumbers n, ArrayNode charts) {
    open(b, "exclusions", "Exclusions per stage, reason and rule");
    if (n.exclusions().isEmpty()) {
      empty(b, "No row was rejected.");
    } else {
      ObjectNode c = chart(charts, "exclusions", "bar", true);
      labels(c, n.exclusions().stream().map(x -> x.stage() + " / " + x.reason()).toList());
      dataset(c, "rejected rows", n.exclusions().stream().map(x -> x.rows()).toList());
      canvas(b, c);
      table(
          b,
          List.of("stage", "reason", "rule", "rows"),
          n.exclusions().stream()
              .map(x -> List.<Object>of(x.stage(), x.reason(), x.rule(), x.rows()))
              .toList());
    }
    close(b);
  }

  private static void stages(StringBuilder b, ReportNumbers n) {
    open(b, "stages", "Stages");
    if (n.stages().isEmpty()) {
      empty(b, "The manifest lists no stages.");
    } else {
      table(
          b,
          List.of("stage", "rows in", "kept", "rejected", "seconds"),
          n.stages().stream()
              .map(x -> List.<Object>of(x.stage(), x.rowsIn(), x.kept(), x.rejected(), x.seconds()))
              .toList());
    }
    close(b);
  }

  private static void histograms(StringBuilder b, ReportNumbers n, ArrayNode charts) {
    open(b, "histograms", "Distributions of kept rows");
    if (n.histograms().isEmpty()) {
      empty(b, "This snapshot has no messages, length or tag columns to chart.");
    }
    b.append("<div class=\"grid\">\n");
    for (ReportNumbers.Histogram h : n.histograms()) {
      b.append("<div class=\"cell\" id=\"hist-")
          .append(esc(h.name()))
          .append("\"><h3>")
          .append(esc(h.title()))
          .append("</h3><p class=\"meta\">")
          .append(esc(h.column()))
          .append(" · ")
          .append(h.total())
          .append(" rows");
      if (h.nulls() > 0) {
        b.append(", ").append(h.nulls()).append(" null");
      }
      b.append("</p>");
      if (h.bins().isEmpty()) {
        empty(b, "Every value is null.");
      } else {
        String id = "hist-" + h.name();
        ObjectNode c = chart(charts, id, "bar", h.kind().equals("categorical"));
        labels(c, h.bins().stream().map(ReportNumbers.Bin::label).toList());
        dataset(c, "rows", h.bins().stream().map(ReportNumbers.Bin::count).toList());
        canvas(b, c);
      }
      b.append("</div>\n");
    }
    b.append("</div>\n");
    close(b);
  }

  private static void dedup(StringBuilder b, ReportNumbers n, ArrayNode charts) {
    open(b, "dedup", "Duplicate clusters");
    if (n.dedupClusters().isEmpty()) {
      empty(b, "No row was rejected as a duplicate.");
    }
    for (ReportNumbers.ClusterSizes d : n.dedupClusters()) {
      b.append("<h3>")
          .append(esc(d.stage()))
          .append("</h3><p class=\"meta\">")
          .append(d.clusters())
          .append(" clusters with duplicates; ")
          .append(d.duplicates())
          .append(" rows rejected</p>");
      String id = "dedup-" + d.stage();
      ObjectNode c = chart(charts, id, "bar", false);
      labels(c, d.sizes().stream().map(ReportNumbers.Bin::label).toList());
      dataset(
          c, "clusters of this size", d.sizes().stream().map(ReportNumbers.Bin::count).toList());
      canvas(b, c);
    }
    close(b);
  }

  private static void contamination(StringBuilder b, ReportNumbers n, ArrayNode charts) {
    open(b, "contamination", "Contamination per benchmark");
    if (n.contamination().isEmpty()) {
      empty(b, "No row matched a benchmark (or decontamination did not run).");
    } else {
      ObjectNode c = chart(charts, "contamination", "bar", true);
      labels(c, n.contamination().stream().map(ReportNumbers.BenchmarkCount::benchmark).toList());
      dataset(c, "removed", n.contamination().stream().map(x -> x.removed()).toList());
      dataset(c, "flagged (kept)", n.contamination().stream().map(x -> x.flagged()).toList());
      canvas(b, c);
      table(
          b,
          List.of("benchmark", "removed", "flagged"),
          n.contamination().stream()
              .map(x -> List.<Object>of(x.benchmark(), x.removed(), x.flagged()))
              .toList());
    }
    close(b);
  }

  private static void recipe(StringBuilder b, ReportNumbers n) {
    open(b, "recipe", "Recipe and resolved numbers");
    if (n.resolved() == null) {
      empty(b, "No mixing recipe ran, so nothing was resolved from the data.");
    } else {
      b.append("<h3>Resolved by the recipe on this data</h3>");
      List<List<Object>> rows = new java.util.ArrayList<>();
      n.resolved()
          .fields()
          .forEachRemaining(e -> rows.add(List.of(e.getKey(), json(e.getValue()))));
      table(b, List.of("name", "value"), rows);
    }
    if (!n.properties().isEmpty()) {
      b.append("<h3>Job facts</h3>");
      table(
          b,
          List.of("name", "value"),
          n.properties().entrySet().stream()
              .map(e -> List.<Object>of(e.getKey(), json(e.getValue())))
              .toList());
    }
    b.append("<h3>Effective config</h3>");
    if (n.config() == null) {
      empty(b, "The manifest holds no config.");
    } else {
      b.append("<pre class=\"config\">").append(esc(pretty(n.config()))).append("</pre>\n");
    }
    close(b);
  }

  // ---- building blocks

  private static ObjectNode chart(ArrayNode charts, String id, String type, boolean horizontal) {
    ObjectNode c = charts.addObject();
    c.put("id", id);
    c.put("type", type);
    c.put("horizontal", horizontal);
    c.putArray("labels");
    c.putArray("datasets");
    return c;
  }

  private static void labels(ObjectNode c, List<String> labels) {
    ArrayNode a = (ArrayNode) c.get("labels");
    labels.forEach(a::add);
  }

  private static void dataset(ObjectNode c, String label, List<Long> data) {
    ObjectNode d = ((ArrayNode) c.get("datasets")).addObject();
    d.put("label", label);
    ArrayNode a = d.putArray("data");
    data.forEach(a::add);
  }

  /** The chart's canvas; a horizontal chart grows with its bars so that every label shows. */
  private static void canvas(StringBuilder b, ObjectNode c) {
    String id = c.get("id").asText();
    int bars = c.get("labels").size() * Math.max(1, c.get("datasets").size());
    b.append("<div class=\"chart\"");
    if (c.get("horizontal").asBoolean() && bars > 10) {
      b.append(" style=\"height:").append(Math.min(2000, 60 + 18 * bars)).append("px\"");
    }
    b.append("><canvas data-chart=\"")
        .append(esc(id))
        .append("\" role=\"img\" aria-label=\"")
        .append(esc(id))
        .append("\"></canvas></div>\n");
  }

  private static void open(StringBuilder b, String id, String title) {
    b.append("<section id=\"").append(id).append("\">\n<h2>").append(esc(title)).append("</h2>\n");
  }

  private static void close(StringBuilder b) {
    b.append("</section>\n");
  }

  private static void empty(StringBuilder b, String why) {
    b.append("<p class=\"empty\">").append(esc(why)).append("</p>\n");
  }

  private static void list(StringBuilder b, String title, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    b.append("<h3>").append(esc(title)).append("</h3>\n<ul>");
    for (String l : lines) {
      b.append("<li>").append(esc(l)).append("</li>");
    }
    b.append("</ul>\n");
  }

  private static void table(StringBuilder b, List<String> head, List<List<Object>> rows) {
    b.append("<table><tr>");
    head.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
    b.append("</tr>\n");
    for (List<Object> r : rows) {
      b.append("<tr>");
      for (Object v : r) {
        b.append(v instanceof Number ? "<td class=\"num\">" : "<td>")
            .append(esc(String.valueOf(v)))
            .append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static String pct(long part, long whole) {
    return whole == 0 ? "" : String.format("%.1f", 100.0 * part / whole);
  }

  /** A value on one line (strings as they are). */
  private static String json(Object v) {
    if (v instanceof String s) {
      return s;
    }
    try {
      return M.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(v);
    } catch (JsonProcessingException e) {
      return String.valueOf(v);
    }
  }

  private static String pretty(Object v) {
    try {
      return M.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      return String.valueOf(v);
    }
  }

  /** JSON placed inside a {@code <script>} element: no {@code <} may close it early. */
  private static String jsonInScript(Object v) {
    try {
      return M.writeValueAsString(v).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw Errors.internal("cannot write the report's chart specs", e);
    }
  }

  /** Script text inlined in a {@code <script>} element. */
  private static String script(String js) {
    return js.replace("</script", "<\\/script");
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder o = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> o.append("&lt;");
        case '>' -> o.append("&gt;");
        case '&' -> o.append("&amp;");
        case '"' -> o.append("&quot;");
        case '\'' -> o.append("&#39;");
        default -> o.append(ch);
      }
    }
    return o.toString();
  }

  static String resource(String name) {
    try (InputStream in = ReportHtml.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw Errors.internal("the report resource " + name + " is not on the classpath", null);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.internal("cannot read the report resource " + name, e);
    }
  }
}
