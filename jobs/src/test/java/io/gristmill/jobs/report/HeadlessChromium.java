package io.gristmill.jobs.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.snapshot.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a report page in headless Chromium (Debian's {@code chromium}, installed by {@code
 * .ci/run}); tests using it skip with a message where it is absent. {@link #check} loads a copy of
 * the page with two hooks: one first in {@code <head>} records console errors and uncaught errors,
 * one last in {@code <body>} records, once the page has loaded, the section ids, and per canvas its
 * chart's data points and how many pixels it painted; Chromium's {@code --dump-dom} brings that
 * back. {@link #screenshot} saves a PNG of the page as a person would see it.
 */
public final class HeadlessChromium {
  public static final Path BINARY =
      Path.of(System.getenv().getOrDefault("GRISTMILL_CHROMIUM", "/usr/bin/chromium"));
  private static final long TIMEOUT_S = 90;

  private static final String HEAD_HOOK =
      "<script>window.__gmErrors=[];(function(){var e=console.error;console.error=function(){"
          + "window.__gmErrors.push('console.error: '+[].slice.call(arguments).join(' '));"
          + "return e.apply(console,arguments);};window.addEventListener('error',function(ev){"
          + "window.__gmErrors.push('uncaught: '+ev.message);});})();</script>";

  private static final String BODY_HOOK =
      "<script>window.addEventListener('load',function(){var out={errors:window.__gmErrors,"
          + "sections:[],charts:[],drawn:document.body.getAttribute('data-charts-drawn')};"
          + "document.querySelectorAll('section[id]').forEach(function(s){out.sections.push(s.id);});"
          + "document.querySelectorAll('canvas[data-chart]').forEach(function(c){"
          + "var ch=window.Chart&&Chart.getChart(c),pts=0,px=0;"
          + "if(ch){ch.data.datasets.forEach(function(d){pts+=d.data.length;});}"
          + "var d=c.getContext('2d').getImageData(0,0,c.width,c.height).data;"
          + "for(var i=3;i<d.length;i+=4){if(d[i]>0){px++;}}"
          + "out.charts.push({id:c.getAttribute('data-chart'),chart:!!ch,points:pts,pixels:px,"
          + "width:c.width,height:c.height});});"
          + "var p=document.createElement('pre');p.id='gm-check';"
          + "p.textContent=encodeURIComponent(JSON.stringify(out));document.body.appendChild(p);"
          + "});</script>";

  private static final Pattern CHECK = Pattern.compile("<pre id=\"gm-check\">([^<]*)</pre>");

  private HeadlessChromium() {}

  /**
   * The module's build folder ({@code target/}, or {@code -Dgristmill.target}), for screenshots.
   */
  public static Path buildDir() {
    try {
      return Path.of(
              HeadlessChromium.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Skips the calling test, with a message, where Chromium is not installed. */
  public static void assumeInstalled() {
    assumeTrue(
        Files.isExecutable(BINARY),
        "Skipping the headless-browser check of the report: "
            + BINARY
            + " is not installed (`apt-get install -y chromium`; .ci/run installs it)");
  }

  /** What the page showed once loaded. */
  public record Check(
      List<String> errors, List<String> sections, List<ChartState> charts, int drawn) {}

  public record ChartState(
      String id, boolean chart, int points, long pixels, int width, int height) {}

  public static Check check(Path html, Path work) throws IOException, InterruptedException {
    String page = Files.readString(html);
    int head = page.indexOf("<head>");
    int body = page.lastIndexOf("</body>");
    if (head < 0 || body < 0) {
      throw new AssertionError(html + " has no <head> or no </body>");
    }
    String hooked =
        page.substring(0, head + 6)
            + HEAD_HOOK
            + page.substring(head + 6, body)
            + BODY_HOOK
            + page.substring(body);
    Path copy = work.resolve("check-" + html.getFileName());
    Files.writeString(copy, hooked);
    String dom = run(work, List.of("--dump-dom", copy.toUri().toString()));
    Matcher m = CHECK.matcher(dom);
    if (!m.find()) {
      throw new AssertionError(
          "the page's check hook did not run (did the page fail to load?); DOM starts: "
              + dom.substring(0, Math.min(500, dom.length())));
    }
    JsonNode j = Json.mapper().readTree(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
    List<String> errors = new ArrayList<>();
    j.get("errors").forEach(e -> errors.add(e.asText()));
    List<String> sections = new ArrayList<>();
    j.get("sections").forEach(e -> sections.add(e.asText()));
    List<ChartState> charts = new ArrayList<>();
    j.get("charts")
        .forEach(
            c ->
                charts.add(
                    new ChartState(
                        c.get("id").asText(),
                        c.get("chart").asBoolean(),
                        c.get("points").asInt(),
                        c.get("pixels").asLong(),
                        c.get("width").asInt(),
                        c.get("height").asInt())));
    JsonNode drawn = j.get("drawn");
    return new Check(
        errors, sections, charts, drawn == null || drawn.isNull() ? -1 : drawn.asInt());
  }

  /** Saves a PNG of the page, {@code width} by {@code height} CSS pixels. */
  public static void screenshot(Path html, Path png, Path work, int width, int height)
      throws IOException, InterruptedException {
    Files.createDirectories(png.getParent());
    run(
        work,
        List.of(
            "--hide-scrollbars",
            "--window-size=" + width + "," + height,
            "--screenshot=" + png.toAbsolutePath(),
            html.toUri().toString()));
    if (!Files.isRegularFile(png) || Files.size(png) == 0) {
      throw new AssertionError("chromium wrote no screenshot to " + png);
    }
  }

  private static String run(Path work, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--user-data-dir=" + work.resolve("chromium-profile"),
            "--virtual-time-budget=10000"));
    cmd.addAll(args);
    Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
    Path err = work.resolve("chromium-" + System.nanoTime() + ".err");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in " + TIMEOUT_S + " s: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "chromium exited " + p.exitValue() + ": " + cmd + "\n" + Files.readString(err));
    }
    return Files.readString(out);
  }
}
