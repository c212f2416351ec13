package io.gristmill.bridge.read;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import io.gristmill.bridge.shard.ShardFixtures;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlShardDatasetTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void batchesHavePaddedIdsMasksAndLabelsAndResume() {
    Path dir = tmp.resolve("s");
    ShardFixtures.writeSft(spark, dir, 23, 2, 2, 4);
    try (ShardDataset ds = ShardDataset.open(dir, false);
        NDManager manager = NDManager.newBaseManager()) {
      ReaderOptions o = new ReaderOptions(0, 1, 0, false, 0, 5);
      DjlShardDataset djl = new DjlShardDataset(ds, o, ReaderState.start(0), 0);
      int rows = 0;
      int batches = 0;
      for (Batch b : djl.getData(manager)) {
        try (b) {
          NDArray ids = b.getData().get(0);
          NDArray att = b.getData().get(1);
          NDArray labels = b.getLabels().get(0);
          assertThat(ids.getShape()).isEqualTo(labels.getShape());
          assertThat(ids.getShape().get(0)).isEqualTo(b.getSize());
          int[] x = ids.toIntArray();
          int[] a = att.toIntArray();
          int[] l = labels.toIntArray();
          int width = (int) ids.getShape().get(1);
          for (int r = 0; r < b.getSize(); r++) {
            int first = x[r * width];
            int row = first / 10; // fixture: token k of row i is i*10+k, loss mask k % 2
            int len = row % 5 + 1;
            for (int k = 0; k < width; k++) {
              int at = r * width + k;
              assertThat(a[at]).isEqualTo(k < len ? 1 : 0);
              assertThat(l[at]).isEqualTo(k < len && k % 2 == 1 ? row * 10 + k : -100);
            }
          }
          rows += b.getSize();
          batches++;
        }
      }
      assertThat(rows).isEqualTo(23);
      assertThat(batches).isEqualTo(5);
      assertThat(djl.state()).isEqualTo(new ReaderState(0, 23));
      DjlShardDataset resumed = new DjlShardDataset(ds, o, new ReaderState(0, 20), 0);
      int rest = 0;
      for (Batch b : resumed.getData(manager)) {
        try (b) {
          rest += b.getSize();
        }
      }
      assertThat(rest).isEqualTo(3);
    }
  }
}
