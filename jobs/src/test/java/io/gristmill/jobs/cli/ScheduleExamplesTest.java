package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The scheduling examples in {@code conf/schedules} run what they say: the main class exists, the
 * arguments parse as a {@code gristmill} command line (the nightly ones run {@code refresh}), and
 * every config file they name exists in the repository ({@code /opt/gristmill/} is the repository
 * root in the image). The Kubernetes one also forbids concurrent runs.
 */
class ScheduleExamplesTest {
  private static final Path REPO = SharedData.repoDir();
  private static final Path SCHEDULES = REPO.resolve("conf/schedules");
  private static final String INSTALL = "/opt/gristmill/";
  private static final String MAIN = "io.gristmill.jobs.GristmillMain";
  private static final String APP_JAR = "jobs/target/gristmill-jobs.jar";

  /** Parses {@code args} as the CLI would (without running it); returns the subcommand's name. */
  static String parse(List<String> args) {
    CommandLine.ParseResult r =
        new CommandLine(new GristmillCli()).parseArgs(args.toArray(String[]::new));
    assertThat(r.hasSubcommand()).as("a subcommand in %s", args).isTrue();
    return r.subcommand().commandSpec().name();
  }

  /** The value after each {@code --config}, as a repository path. */
  static void configsExist(List<String> args) {
    int configs = 0;
    for (int i = 0; i < args.size() - 1; i++) {
      if (args.get(i).equals("--config")) {
        String p = args.get(i + 1);
        String rel = p.startsWith(INSTALL) ? p.substring(INSTALL.length()) : p;
        assertThat(REPO.resolve(rel)).as("config %s of %s", p, args).isRegularFile();
        configs++;
      }
    }
    assertThat(configs).as("--config in %s", args).isPositive();
  }

  static void mainClassExists(String name) throws Exception {
    assertThat(name).isEqualTo(MAIN);
    assertThat(Class.forName(name).getMethod("main", String[].class)).isNotNull();
  }

  @Test
  void theCrontabRunsRefreshThroughTheLauncher() throws Exception {
    List<String> lines =
        Files.readAllLines(SCHEDULES.resolve("crontab.example"), StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(lines).hasSize(1);
    List<String> words = Arrays.asList(lines.get(0).trim().split("\\s+"));
    assertThat(words.subList(0, 5)).containsExactly("15", "2", "*", "*", "*");
    int launcher = words.indexOf("./gristmill");
    assertThat(launcher).isPositive();
    assertThat(words.get(words.indexOf("cd") + 1)).isEqualTo("/opt/gristmill");
    assertThat(REPO.resolve("gristmill")).isExecutable();
    List<String> args = new ArrayList<>(words.subList(launcher + 1, words.indexOf(">>")));
    assertThat(parse(args)).isEqualTo("refresh");
    configsExist(args);
  }

  @Test
  void theKubernetesScheduleRunsRefreshAndForbidsConcurrentRuns() throws Exception {
    JsonNode k =
        ConfigLoader.yamlMapper()
            .readTree(SCHEDULES.resolve("k8s-scheduled-spark-application.yaml").toFile());
    assertThat(k.path("kind").asText()).isEqualTo("ScheduledSparkApplication");
    assertThat(k.path("spec").path("concurrencyPolicy").asText()).isEqualTo("Forbid");
    JsonNode t = k.path("spec").path("template");
    mainClassExists(t.path("mainClass").asText());
    assertThat(t.path("mainApplicationFile").asText()).isEqualTo("local://" + INSTALL + APP_JAR);
    assertThat(t.path("deps").path("jars").get(0).asText())
        .isEqualTo("local://" + INSTALL + "jobs/target/lib/*");
    List<String> args = new ArrayList<>();
    t.path("arguments").forEach(a -> args.add(a.asText()));
    assertThat(parse(args)).isEqualTo("refresh");
    configsExist(args);
    // s3a:// output from lib/'s hadoop-aws alone: no --packages that would add the SDK bundle.
    assertThat(args).contains("s3a://bucket/gristmill");
    assertThat(t.path("deps").has("packages")).isFalse();
  }

  /** Every SparkSubmitOperator call (and call of a helper that wraps one), from Python's ast. */
  static JsonNode airflowCalls(Path dag) throws Exception {
    String script =
        String.join(
            "\n",
            "import ast, json, sys",
            "tree = ast.parse(open(sys.argv[1]).read())",
            "names = {}",
            "def ev(n):",
            "    if isinstance(n, ast.Constant) and isinstance(n.value, str): return n.value",
            "    if isinstance(n, ast.Name): return names.get(n.id)",
            "    if isinstance(n, ast.JoinedStr):",
            "        parts = [ev(v.value) if isinstance(v, ast.FormattedValue) else ev(v)"
                + " for v in n.values]",
            "        return None if None in parts else ''.join(parts)",
            "    if isinstance(n, ast.List): return [ev(e) for e in n.elts]",
            "    return None",
            "for n in tree.body:",
            "    if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0],"
                + " ast.Name):",
            "        names[n.targets[0].id] = ev(n.value)",
            "out = []",
            "for n in ast.walk(tree):",
            "    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):",
            "        kw = {k.arg: ev(k.value) for k in n.keywords if k.arg}",
            "        if n.func.id == 'SparkSubmitOperator':",
            "            out.append({'call': n.func.id, 'kw': kw})",
            "        elif n.func.id == 'step':",
            "            out.append({'call': 'step', 'args': [ev(a) for a in n.args]})",
            "print(json.dumps({'names': names, 'calls': out}))");
    List<String> cmd = List.of("python3", "-c", script, dag.toString());
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Assumptions.abort("python3 not found (" + e.getMessage() + "): Airflow DAG check skipped");
      throw e;
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return new ObjectMapper().readTree(out);
  }

  @Test
  void theNightlyAirflowDagSubmitsRefresh() throws Exception {
    JsonNode dag = airflowCalls(SCHEDULES.resolve("airflow_gristmill_nightly.py"));
    JsonNode calls = dag.path("calls");
    assertThat(calls).hasSize(1);
    JsonNode kw = calls.get(0).path("kw");
    mainClassExists(kw.path("java_class").asText());
    assertThat(kw.path("application").asText()).isEqualTo(INSTALL + APP_JAR);
    List<String> args = new ArrayList<>();
    kw.path("application_args").forEach(a -> args.add(a.asText()));
    assertThat(parse(args)).isEqualTo("refresh");
    configsExist(args);
  }

  @Test
  void everyStepOfTheRlMathDagParsesAndNamesExistingConfigs() throws Exception {
    JsonNode dag = airflowCalls(SCHEDULES.resolve("airflow_gristmill_rl_math.py"));
    JsonNode wrapped = dag.path("calls").get(0).path("kw");
    mainClassExists(wrapped.path("java_class").asText());
    assertThat(wrapped.path("application").asText()).isEqualTo(INSTALL + APP_JAR);
    int steps = 0;
    for (JsonNode c : dag.path("calls")) {
      if (!c.path("call").asText().equals("step")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      c.path("args").forEach(a -> args.add(a.asText()));
      assertThat(args).as("a step whose arguments all resolve").doesNotContain("null");
      List<String> cli = args.subList(1, args.size());
      String command = parse(cli);
      assertThat(command).isEqualTo(cli.get(0));
      if (!command.equals("export") || cli.contains("--config")) {
        configsExist(cli);
      }
      steps++;
    }
    assertThat(steps).isEqualTo(9);
  }
}
