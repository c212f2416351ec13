package io.gristmill.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report page in a real browser: headless Chromium opens it with no console error, every
 * section is there, every chart has data and painted pixels; a screenshot is saved under the build
 * folder ({@code report-screenshots/}) for a person to look at. Skips where Chromium is absent.
 */
class ReportChromiumTest {
  @Test
  void fullReportOpensWithoutErrorsAndDrawsEveryChart(@TempDir Path work) throws Exception {
    HeadlessChromium.assumeInstalled();
    Path dir = HeadlessChromium.buildDir().resolve("report-screenshots");
    Files.createDirectories(dir);
    Path html = dir.resolve("full-report.html");
    Files.writeString(html, ReportHtml.render(ReportFixtures.full()));

    HeadlessChromium.Check c = HeadlessChromium.check(html, work);
    assertThat(c.errors()).as("console and uncaught errors").isEmpty();
    assertThat(c.sections()).isEqualTo(ReportHtml.SECTIONS);
    assertThat(c.drawn()).isEqualTo(ReportFixtures.FULL_CHARTS);
    assertThat(c.charts()).hasSize(ReportFixtures.FULL_CHARTS);
    for (HeadlessChromium.ChartState s : c.charts()) {
      assertThat(s.chart()).as("%s is a Chart.js chart", s.id()).isTrue();
      assertThat(s.points()).as("%s data points", s.id()).isPositive();
      // Bars, axes and labels paint well over 1% of the canvas; a blank one paints none.
      assertThat(s.pixels())
          .as("%s painted pixels of %dx%d", s.id(), s.width(), s.height())
          .isGreaterThan((long) s.width() * s.height() / 100);
    }

    Path png = dir.resolve("full-report.png");
    HeadlessChromium.screenshot(html, png, work, 1280, 3200);
    assertThat(Files.size(png)).isGreaterThan(20_000);
  }

  @Test
  void reportWithoutAnnotationsOpensWithoutErrors(@TempDir Path work) throws Exception {
    HeadlessChromium.assumeInstalled();
    Path html = work.resolve("plain.html");
    Files.writeString(html, ReportHtml.render(ReportFixtures.plain()));
    HeadlessChromium.Check c = HeadlessChromium.check(html, work);
    assertThat(c.errors()).isEmpty();
    assertThat(c.sections()).isEqualTo(ReportHtml.SECTIONS);
    assertThat(c.charts())
        .extracting(HeadlessChromium.ChartState::id)
        .containsExactly("sources", "hist-turns");
    assertThat(c.charts()).allMatch(s -> s.points() > 0 && s.pixels() > 0);
  }
}
