package io.gristmill.core.stage;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress a person can read, for stages that take more than a few seconds: at most one line per
 * {@link #INTERVAL_MS} (so logs are not flooded) with work done of total, the rate and an ETA. Two
 * sources: Spark tasks of the running jobs ({@link #ofSparkTasks}), or a count of items the
 * executors report through an accumulator ({@link #ofItems}, e.g. prompts rolled out). Nothing is
 * printed for work that ends within the first interval. Spark's console bar is off (see the jobs'
 * session builder).
 */
public final class Progress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
  static final long INTERVAL_MS = Long.getLong("gristmill.progress.interval.ms", 10_000L);

  private final String label;
  private final String unit;
  private final long startMs = System.currentTimeMillis();
  private final AtomicLong done;
  private final AtomicLong total;
  private final LongAccumulator items;
  private final SparkContext sc;
  private final SparkListener listener;
  private final Thread ticker;
  private volatile boolean closed;

  private Progress(
      String label,
      String unit,
      AtomicLong done,
      AtomicLong total,
      LongAccumulator items,
      SparkContext sc,
      SparkListener listener) {
    this.label = label;
    this.unit = unit;
    this.done = done;
    this.total = total;
    this.items = items;
    this.sc = sc;
    this.listener = listener;
    this.ticker = new Thread(this::tick, "gristmill-progress");
    ticker.setDaemon(true);
    ticker.start();
  }

  /** Progress of the Spark tasks that run until {@link #close()}. */
  public static Progress ofSparkTasks(SparkSession spark, String label) {
    AtomicLong done = new AtomicLong();
    AtomicLong total = new AtomicLong();
    SparkListener l =
        new SparkListener() {
          @Override
          public void onStageSubmitted(SparkListenerStageSubmitted e) {
            total.addAndGet(e.stageInfo().numTasks());
          }

          @Override
          public void onTaskEnd(SparkListenerTaskEnd e) {
            done.incrementAndGet();
          }
        };
    spark.sparkContext().addSparkListener(l);
    return new Progress(label, "tasks", done, total, null, spark.sparkContext(), l);
  }

  /**
   * Progress of {@code total} items; executors add to {@link #accumulator()} as they finish items.
   */
  public static Progress ofItems(SparkSession spark, String label, String unit, long total) {
    LongAccumulator acc = spark.sparkContext().longAccumulator(label + " " + unit);
    return new Progress(label, unit, null, new AtomicLong(total), acc, null, null);
  }

  /** The accumulator executors add finished items to ({@link #ofItems} only). */
  public LongAccumulator accumulator() {
    return items;
  }

  private long done() {
    return items != null ? items.value() : done.get();
  }

  /** The line printed now, e.g. {@code rollout: 120/1000 prompts (12.0/s, ETA 73 s)}. */
  String line() {
    long d = done();
    long t = total.get();
    double secs = Math.max(1e-3, (System.currentTimeMillis() - startMs) / 1000.0);
    double rate = d / secs;
    String eta =
        rate > 0 && t > d ? String.format(Locale.ROOT, ", ETA %.0f s", (t - d) / rate) : "";
    return String.format(
        Locale.ROOT, "%s: %d/%d %s (%.1f/s, %.0f s elapsed%s)", label, d, t, unit, rate, secs, eta);
  }

  private void tick() {
    long last = -1;
    while (!closed) {
      try {
        Thread.sleep(INTERVAL_MS);
      } catch (InterruptedException e) {
        return;
      }
      long d = done();
      if (!closed && d != last) {
        LOG.info("{}", line());
        last = d;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    ticker.interrupt();
    if (sc != null && listener != null) {
      sc.removeSparkListener(listener);
    }
  }
}
