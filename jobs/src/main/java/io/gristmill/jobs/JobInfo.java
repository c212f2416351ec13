package io.gristmill.jobs;

/** Facts about the running code, recorded in every manifest. */
public final class JobInfo {
  private JobInfo() {}

  /** The Maven version of the jobs jar, or {@code dev} when run from classes. */
  public static String codeVersion() {
    String v = JobInfo.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
