package io.gristmill.curation.annotate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure text signals of the heuristic annotators: code, math, refusals, repetition and special
 * characters. Every method is a total function of its input (null and empty give the neutral
 * value), so the Spark stage never fails on a row.
 */
public final class TextSignals {
  private TextSignals() {}

  private static final Pattern FENCE =
      Pattern.compile("(?m)^[ \\t]*(```|~~~)[ \\t]*([A-Za-z0-9+#._-]*)");

  /** Fence info strings mapped to one canonical name. */
  private static final Map<String, String> FENCE_ALIASES =
      Map.ofEntries(
          Map.entry("py", "python"),
          Map.entry("python3", "python"),
          Map.entry("js", "javascript"),
          Map.entry("jsx", "javascript"),
          Map.entry("node", "javascript"),
          Map.entry("ts", "typescript"),
          Map.entry("tsx", "typescript"),
          Map.entry("c++", "cpp"),
          Map.entry("cc", "cpp"),
          Map.entry("cxx", "cpp"),
          Map.entry("h", "c"),
          Map.entry("cs", "csharp"),
          Map.entry("c#", "csharp"),
          Map.entry("sh", "shell"),
          Map.entry("bash", "shell"),
          Map.entry("zsh", "shell"),
          Map.entry("console", "shell"),
          Map.entry("rb", "ruby"),
          Map.entry("rs", "rust"),
          Map.entry("golang", "go"),
          Map.entry("kt", "kotlin"),
          Map.entry("yml", "yaml"),
          Map.entry("postgresql", "sql"),
          Map.entry("mysql", "sql"));

  /** Keyword patterns that name a language when a block has no (or a generic) info string. */
  private static final List<Map.Entry<String, Pattern>> GUESSES =
      List.of(
          Map.entry(
              "python",
              Pattern.compile(
                  "(?m)^\\s*(def \\w+\\(.*\\)\\s*(->.*)?:|import \\w+|from [\\w.]+ import |class \\w+(\\(.*\\))?:|print\\()")),
          Map.entry(
              "cpp",
              Pattern.compile(
                  "#include\\s*<(iostream|vector|string|map|algorithm)>|std::|cout\\s*<<")),
          Map.entry("c", Pattern.compile("#include\\s*<(stdio|stdlib|string)\\.h>|printf\\(")),
          Map.entry(
              "java",
              Pattern.compile(
                  "public\\s+(static\\s+)?(void|class|int|String)\\s|System\\.out\\.println")),
          Map.entry("csharp", Pattern.compile("using System;|Console\\.WriteLine")),
          Map.entry(
              "javascript",
              Pattern.compile(
                  "console\\.log\\(|\\bfunction\\s+\\w+\\s*\\(|\\b(const|let)\\s+\\w+\\s*=|=>\\s*\\{")),
          Map.entry(
              "sql",
              Pattern.compile("(?i)\\bSELECT\\b[\\s\\S]{1,200}?\\bFROM\\b|\\bCREATE TABLE\\b")),
          Map.entry("html", Pattern.compile("(?i)<(html|div|body|head|span|p)[ >]")),
          Map.entry("go", Pattern.compile("\\bfunc\\s+\\w+\\(|package main|fmt\\.Print")),
          Map.entry("rust", Pattern.compile("\\bfn\\s+\\w+\\(|println!\\(|\\blet\\s+mut\\b")),
          Map.entry(
              "shell", Pattern.compile("(?m)^\\s*(\\$ |sudo |apt-get |pip install |npm install )")),
          Map.entry("php", Pattern.compile("<\\?php")),
          Map.entry("ruby", Pattern.compile("(?m)^\\s*(puts |require '|def \\w+\\s*$)")));

  /** Fenced code, or at least one unmistakable code line outside fences. */
  public static Set<String> codeLanguages(String text) {
    Set<String> out = new TreeSet<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    Matcher m = FENCE.matcher(text);
    List<int[]> blocks = new ArrayList<>();
    int open = -1;
    String info = null;
    while (m.find()) {
      if (open < 0) {
        open = m.end();
        info = m.group(2).toLowerCase(Locale.ROOT);
      } else {
        blocks.add(new int[] {open, m.start()});
        String lang = canonical(info);
        if (lang != null) {
          out.add(lang);
        } else {
          guess(text.substring(open, m.start()), out);
        }
        open = -1;
      }
    }
    if (open >= 0) { // an unclosed fence (truncated answer) still marks code
      String lang = canonical(info);
      if (lang != null) {
        out.add(lang);
      } else {
        guess(text.substring(open), out);
      }
    }
    if (blocks.isEmpty() && open < 0) {
      guess(text, out);
    }
    return out;
  }

  /** True when there is a fenced block or a recognised code line. */
  public static boolean hasCode(String text, Set<String> languages) {
    return !languages.isEmpty() || (text != null && FENCE.matcher(text).find());
  }

  private static String canonical(String info) {
    if (info == null || info.isEmpty() || info.equals("text") || info.equals("plaintext")) {
      return null;
    }
    return FENCE_ALIASES.getOrDefault(info, info);
  }

  /**
   * Literals one of which every match of a language's guess pattern contains (lowercase for the
   * case-insensitive ones), so most prose skips the regular expressions: a plain substring search
   * is an order of magnitude cheaper than thirteen pattern scans of the whole text.
   */
  private static final Map<String, List<String>> GUESS_LITERALS =
      Map.ofEntries(
          Map.entry("python", List.of("def ", "import ", "class ", "print(")),
          Map.entry("cpp", List.of("#include", "std::", "cout")),
          Map.entry("c", List.of("#include", "printf(")),
          Map.entry("java", List.of("public", "System.out.println")),
          Map.entry("csharp", List.of("using System;", "Console.WriteLine")),
          Map.entry("javascript", List.of("console.log(", "function", "const", "let", "=>")),
          Map.entry("sql", List.of("select", "create table")),
          Map.entry("html", List.of("<")),
          Map.entry("go", List.of("func", "package main", "fmt.Print")),
          Map.entry("rust", List.of("fn", "println!(", "let")),
          Map.entry("shell", List.of("$ ", "sudo ", "apt-get ", "pip install ", "npm install ")),
          Map.entry("php", List.of("<?php")),
          Map.entry("ruby", List.of("puts ", "require '", "def ")));

  private static final Set<String> CASE_INSENSITIVE_GUESSES = Set.of("sql", "html");

  private static void guess(String code, Set<String> out) {
    String lower = null;
    for (Map.Entry<String, Pattern> g : GUESSES) {
      String text = code;
      if (CASE_INSENSITIVE_GUESSES.contains(g.getKey())) {
        lower = lower == null ? code.toLowerCase(Locale.ROOT) : lower;
        text = lower;
      }
      boolean candidate = false;
      for (String lit : GUESS_LITERALS.get(g.getKey())) {
        if (text.contains(lit)) {
          candidate = true;
          break;
        }
      }
      if (candidate && g.getValue().matcher(code).find()) {
        out.add(g.getKey());
      }
    }
    if (out.contains("cpp")) {
      out.remove("c");
    }
  }

  private static final Pattern LATEX =
      Pattern.compile(
          "\\$\\$[^$]+\\$\\$|\\$[^$\\n]{1,200}[\\\\^_=+\\-*/][^$\\n]{0,200}\\$|\\\\(frac|sqrt|sum|int|boxed|cdot|times|pi|alpha|beta|theta|begin\\{(equation|align)|\\(|\\[)");
  private static final Pattern EQUATION =
      Pattern.compile(
          "(\\d+(\\.\\d+)?|\\b[a-z]\\b)\\s*[-+*/×÷^]\\s*(\\d+(\\.\\d+)?|\\b[a-z]\\b)(\\s*[-+*/×÷^]\\s*(\\d+(\\.\\d+)?|\\b[a-z]\\b))*\\s*=\\s*-?(\\d|\\b[a-z]\\b)");

  /** LaTeX math or an arithmetic/algebraic equation ({@code 3 + 4 = 7}, {@code 2x = 10}). */
  public static boolean hasMath(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    return LATEX.matcher(text).find() || EQUATION.matcher(text).find();
  }

  private static final Pattern REFUSAL =
      Pattern.compile(
          "(?i)\\b(I'?m sorry,? but I (can(no|')t|am unable|won'?t)|I (can(no|')t|am unable to|won'?t) (help|assist|provide|comply|fulfill|do that|create|write|generate)"
              + "|as an AI( language model)?,? I (can(no|')t|do not|don'?t|am not able)|I'?m (not able|unable) to (help|assist|provide|comply)"
              + "|I must (decline|refuse)|I (can(no|')t|won'?t) (engage|support) in|that('s| is) not something I can)");

  /** A refusal phrase near the start of any assistant turn (first 400 characters). */
  public static boolean refusal(List<String> assistantTurns) {
    for (String t : assistantTurns) {
      String head = t.length() > 400 ? t.substring(0, 400) : t;
      if (REFUSAL.matcher(head).find()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Gopher's duplicate-line fraction: lines (non-blank, trimmed) equal to an earlier line, over all
   * non-blank lines; 0 for text without lines.
   */
  public static double dupLineFrac(String text) {
    if (text == null || text.isEmpty()) {
      return 0.0;
    }
    Set<String> seen = new HashSet<>();
    int lines = 0;
    int dup = 0;
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      lines++;
      if (!seen.add(l)) {
        dup++;
      }
    }
    return lines == 0 ? 0.0 : (double) dup / lines;
  }

  /**
   * Data-Juicer's word repetition ratio: among all word {@code n}-grams, the fraction of
   * occurrences whose n-gram occurs more than once; 0 when the text has fewer than n words.
   */
  public static double dupNgramFrac(String text, int n) {
    if (text == null || text.isEmpty()) {
      return 0.0;
    }
    String[] words = text.toLowerCase(Locale.ROOT).split("\\s+");
    int start = words.length > 0 && words[0].isEmpty() ? 1 : 0;
    int count = words.length - start - n + 1;
    if (count <= 0) {
      return 0.0;
    }
    Map<String, Integer> freq = new HashMap<>();
    StringBuilder sb = new StringBuilder();
    for (int i = start; i < start + count; i++) {
      sb.setLength(0);
      for (int j = 0; j < n; j++) {
        sb.append(words[i + j]).append(' ');
      }
      freq.merge(sb.toString(), 1, Integer::sum);
    }
    long repeated = 0;
    for (int f : freq.values()) {
      if (f > 1) {
        repeated += f;
      }
    }
    return (double) repeated / count;
  }

  /**
   * Characters that are neither letters, digits nor whitespace, over all characters (code points);
   * 0 for empty text.
   */
  public static double specialCharRatio(String text) {
    if (text == null || text.isEmpty()) {
      return 0.0;
    }
    int total = 0;
    int special = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      total++;
      if (!Character.isLetterOrDigit(cp) && !Character.isWhitespace(cp)) {
        special++;
      }
    }
    return (double) special / total;
  }

  /** Distinct values in first-seen order (for arrays written to Spark). */
  static List<String> ordered(Set<String> s) {
    return new ArrayList<>(new LinkedHashSet<>(s));
  }
}
