package io.gristmill.jobs.s3;

import io.gristmill.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The config and S3A settings the s3a tests share. */
final class S3aFixtures {
  private static final Path REPO = SharedData.repoDir();

  private S3aFixtures() {}

  /**
   * The demo corpus (five formats, broken lines, duplicates) with exact dedup only and two data
   * files, written to {@code dir/s3a-demo.yaml}: what these tests are about is where the snapshot
   * goes, not the later stages, and the full demo pipeline takes minutes on a small CI machine.
   */
  static Path config(Path dir) throws Exception {
    String[][] sources = {
      {"chat", "openai_messages.jsonl", "messages"},
      {"sharegpt", "sharegpt.json", "sharegpt"},
      {"alpaca", "alpaca.jsonl.gz", "alpaca"},
      {"hh", "hh.jsonl", "hh"},
      {"gsm8k", "gsm8k_style.jsonl", "gsm8k"}
    };
    StringBuilder y = new StringBuilder("dataset: demo\noutput_files: 2\nsources:\n");
    for (String[] s : sources) {
      y.append("  - name: ")
          .append(s[0])
          .append("\n    path: \"")
          .append(REPO.resolve("conf/demo/corpus").resolve(s[1]))
          .append("\"\n    format: ")
          .append(s[2])
          .append('\n');
    }
    y.append("snapshots:\n  publication: auto\n");
    Files.createDirectories(dir);
    Path file = dir.resolve("s3a-demo.yaml");
    Files.writeString(file, y.toString());
    return file;
  }

  /**
   * The S3A settings for the local server, without their {@code fs.s3a.} prefix: endpoint,
   * path-style access, keys, no TLS.
   */
  static Map<String, String> s3aOptions(String endpoint) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("endpoint", endpoint);
    o.put("endpoint.region", "us-east-1");
    o.put("path.style.access", "true");
    o.put("connection.ssl.enabled", "false");
    o.put("access.key", LocalS3Server.ACCESS_KEY);
    o.put("secret.key", LocalS3Server.SECRET_KEY);
    o.put("aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    // fail fast instead of the default minutes of retries if the server is unreachable
    o.put("attempts.maximum", "2");
    o.put("retry.limit", "2");
    return o;
  }

  /** A Hadoop site file setting {@code options} for one bucket ({@code fs.s3a.bucket.B.*}). */
  static String siteXml(String bucket, Map<String, String> options) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    options.forEach(
        (k, v) ->
            xml.append("  <property><name>fs.s3a.bucket.")
                .append(bucket)
                .append('.')
                .append(k)
                .append("</name><value>")
                .append(v)
                .append("</value></property>\n"));
    return xml.append("</configuration>\n").toString();
  }
}
