package io.gristmill.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page {@link ReportHtml} renders, read as text (the browser check is ReportChromiumTest). */
class ReportHtmlTest {
  private static List<String> all(String regex, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everySectionInOrderWithChartJsInlinedAndNoNetwork() {
    String html = ReportHtml.render(ReportFixtures.full());
    assertThat(all("<section id=\"([a-z]+)\"", html)).isEqualTo(ReportHtml.SECTIONS);
    assertThat(html).contains("Chart.js v4.4.1").contains("new Chart(canvas");
    // Self-contained: no external script, style or image.
    assertThat(html).doesNotContainPattern("<script[^>]+src=").doesNotContain("<link ");
    assertThat(all("<canvas data-chart=\"([^\"]+)\"", html))
        .containsExactly(
            "sources",
            "categories",
            "exclusions",
            "hist-turns",
            "hist-language",
            "hist-input_quality",
            "dedup-exact_dedup",
            "contamination")
        .hasSize(ReportFixtures.FULL_CHARTS);
    assertThat(html).contains("mix_filter:quality").contains("&quot;Q1e&quot;:0.25");
  }

  @Test
  void namesAreEscapedInTablesAndInTheChartData() {
    String html = ReportHtml.render(ReportFixtures.full());
    assertThat(html).doesNotContain(ReportFixtures.TRICKY_SOURCE);
    assertThat(html).contains("web&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"); // the table cell
    assertThat(html).contains("web\\u003c/script>\\u003cb>bold\\u003c/b>"); // the chart label
  }

  @Test
  void partsWithoutDataSayWhyInsteadOfDrawingEmptyCharts() {
    String html = ReportHtml.render(ReportFixtures.plain());
    assertThat(all("<section id=\"([a-z]+)\"", html)).isEqualTo(ReportHtml.SECTIONS);
    assertThat(all("<canvas data-chart=\"([^\"]+)\"", html))
        .containsExactly("sources", "hist-turns");
    assertThat(html)
        .contains("No task_category column")
        .contains("No row was rejected.")
        .contains("No row matched a benchmark")
        .contains("The manifest holds no config.")
        .contains("Annotation columns absent from this snapshot: language.");
  }

  @Test
  void reportJsonReadsBackToTheSameNumbers() {
    ReportNumbers n = ReportFixtures.full();
    byte[] json = Reports.json(n);
    assertThat(Reports.readJson(json)).isEqualTo(n);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"format_version\" : 1")
        .contains("\"rule\" : \"quality\"");
  }
}
