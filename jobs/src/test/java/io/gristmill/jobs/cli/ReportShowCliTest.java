package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.snapshot.Json;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.jobs.report.HeadlessChromium;
import io.gristmill.jobs.report.ReportHtml;
import io.gristmill.jobs.report.ReportNumbers;
import io.gristmill.jobs.report.Reports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a user meets it: {@code curate} of the demo corpus writes {@code report.html} and
 * {@code report.json} into the snapshot and says where; {@code gristmill report} writes them again
 * for a committed snapshot; {@code gristmill show} prints rows with their tags. Where Chromium is
 * installed the demo's real report is opened too.
 */
class ReportShowCliTest {
  @Test
  void curateWritesTheReportAndReportAndShowReadTheSnapshot(@TempDir Path out) throws Exception {
    String curate = CliRunner.run(CliPipelineTest.demoArgs("curate", out));
    Path dataset = out.resolve("demo");
    Path snapshot =
        dataset.resolve("snapshots").resolve(Files.readString(dataset.resolve("LATEST")).trim());
    assertThat(curate).contains("Report written to: " + snapshot.resolve("report.html"));
    SnapshotManifest m =
        Json.mapper().readValue(snapshot.resolve("manifest.json").toFile(), SnapshotManifest.class);
    ReportNumbers n = Reports.readJson(Files.readAllBytes(snapshot.resolve("report.json")));
    assertThat(n.totals().rowsKept()).isEqualTo(m.outputs().get("data"));
    assertThat(n.totals().rowsRejected()).isEqualTo(m.outputs().get("rejected"));
    assertThat(n.sources())
        .extracting(ReportNumbers.SourceCount::source)
        .containsExactly("alpaca", "chat", "gsm8k", "hh", "sharegpt");
    // Per stage and reason, the exclusions add up to what the manifest's stages rejected.
    for (var s : m.stages()) {
      for (var e : s.rejected().entrySet()) {
        assertThat(n.exclusions())
            .as("exclusions of %s/%s", s.stage(), e.getKey())
            .anyMatch(
                x ->
                    x.stage().equals(s.stage())
                        && x.reason().equals(e.getKey())
                        && x.rows() == e.getValue());
      }
    }
    assertThat(n.dedupClusters()).isNotEmpty();
    // The demo configures no tokenizer: its token columns are null, so characters are charted
    // (not a histogram of zeros) and the report says why.
    assertThat(n.histograms())
        .extracting(ReportNumbers.Histogram::name)
        .contains("turns", "chars")
        .doesNotContain("tokens");
    assertThat(n.notes()).anyMatch(s -> s.contains("no tokenizer was configured"));
    // Categories before and after the mix: "before" comes from the mix stage's own counts of the
    // rows entering it, and sums to them.
    long mixIn =
        m.stages().stream().filter(s -> s.stage().equals("mix")).findFirst().orElseThrow().rowsIn();
    assertThat(n.categories()).isNotEmpty().allMatch(c -> c.before() != null);
    assertThat(n.categories().stream().mapToLong(ReportNumbers.CategoryCount::before).sum())
        .isEqualTo(mixIn);
    assertThat(n.config()).isNotNull();

    Path again = out.resolve("again");
    String report =
        CliRunner.run(
            "report", dataset.toString(), "--out", again.toString(), "--master", "local[2]");
    assertThat(report).contains("Report written to: " + again.resolve("report.html"));
    ReportNumbers n2 = Reports.readJson(Files.readAllBytes(again.resolve("report.json")));
    assertThat(n2.totals()).isEqualTo(n.totals());
    assertThat(n2.sources()).isEqualTo(n.sources());
    assertThat(n2.exclusions()).isEqualTo(n.exclusions());
    assertThat(n2.histograms()).isEqualTo(n.histograms());

    String show =
        CliRunner.run(
            "show",
            dataset.toString(),
            "--where",
            "source = 'chat'",
            "--n",
            "3",
            "--master",
            "local[2]");
    assertThat(show)
        .contains("where source = 'chat'")
        .contains("[3] id=")
        .doesNotContain("[4] id=");
    List<String> ids = all("\\] id=(\\S+) source=(\\S+)", show, 1);
    assertThat(ids).hasSize(3).isSorted();
    assertThat(all("\\] id=(\\S+) source=(\\S+)", show, 2)).containsOnly("chat");
    assertThat(show).contains("    user: ");

    if (Files.isExecutable(HeadlessChromium.BINARY)) {
      HeadlessChromium.Check c = HeadlessChromium.check(snapshot.resolve("report.html"), out);
      assertThat(c.errors()).isEmpty();
      assertThat(c.sections()).isEqualTo(ReportHtml.SECTIONS);
      assertThat(c.charts()).isNotEmpty().allMatch(s -> s.points() > 0 && s.pixels() > 0);
      HeadlessChromium.screenshot(
          snapshot.resolve("report.html"),
          HeadlessChromium.buildDir().resolve("report-screenshots/demo-report.png"),
          out,
          1280,
          3200);
    }
  }

  private static List<String> all(String regex, String text, int group) {
    Matcher m = Pattern.compile(regex).matcher(text);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(group));
    }
    return out;
  }
}
