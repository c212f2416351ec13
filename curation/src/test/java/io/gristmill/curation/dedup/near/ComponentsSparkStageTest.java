package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class ComponentsSparkStageTest extends SparkTestBase {
  private static Map<String, String> sparkComponents(List<String[]> edges) {
    Map<String, String> contracted = sparkComponents(edges, true);
    assertThat(sparkComponents(edges, false)).as("star rounds only").isEqualTo(contracted);
    return contracted;
  }

  private static Map<String, String> sparkComponents(List<String[]> edges, boolean contract) {
    List<Row> rows = new ArrayList<>();
    for (String[] e : edges) {
      rows.add(RowFactory.create(e[0], e[1]));
    }
    var r =
        ComponentsSparkStage.run(
            spark.createDataFrame(rows, ComponentsSparkStage.EDGE).repartition(3), 2, contract);
    Map<String, String> out = new TreeMap<>();
    for (Row row : r.components().collectAsList()) {
      assertThat(out.put(row.getString(0), row.getString(1))).as("one root per node").isNull();
    }
    return out;
  }

  private static Map<String, String> reference(List<String[]> edges) {
    UnionFind uf = new UnionFind();
    edges.forEach(e -> uf.union(e[0], e[1]));
    Map<String, String> all = uf.components();
    all.keySet()
        .removeIf(
            v ->
                edges.stream()
                    .noneMatch(e -> !e[0].equals(e[1]) && (e[0].equals(v) || e[1].equals(v))));
    return all;
  }

  private static String v(int i) {
    return String.format("v%03d", i);
  }

  @Test
  void longChainInReverseOrderCollapsesToItsMinimum() {
    List<String[]> edges = new ArrayList<>();
    for (int i = 40; i > 0; i--) {
      edges.add(new String[] {v(i), v(i - 1)});
    }
    Map<String, String> cc = sparkComponents(edges);
    assertThat(cc).hasSize(41).containsValue(v(0)).doesNotContainValue(v(1));
    assertThat(cc).isEqualTo(reference(edges));
  }

  @Test
  void starsCyclesAndSelfLoops() {
    List<String[]> edges = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      edges.add(new String[] {"s-hub", "s-" + i});
    }
    edges.add(new String[] {"c1", "c2"});
    edges.add(new String[] {"c2", "c3"});
    edges.add(new String[] {"c3", "c1"});
    edges.add(new String[] {"loop", "loop"});
    edges.add(new String[] {"p", "q"});
    edges.add(new String[] {"q", "p"});
    Map<String, String> cc = sparkComponents(edges);
    assertThat(cc).isEqualTo(reference(edges)).doesNotContainKey("loop");
    assertThat(cc.get("s-hub")).isEqualTo("s-1");
    assertThat(cc.get("c3")).isEqualTo("c1");
    assertThat(cc).doesNotContainKey("loop").containsEntry("q", "p");
  }

  @Test
  void randomGraphsMatchUnionFind() {
    SplittableRandom r = new SplittableRandom(7);
    for (int g = 0; g < 1; g++) {
      List<String[]> edges = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        edges.add(new String[] {v(r.nextInt(150)), v(r.nextInt(150))});
      }
      assertThat(sparkComponents(edges)).isEqualTo(reference(edges));
    }
  }

  private static boolean starForest(String... uv) {
    List<scala.Tuple2<String, String>> edges = new ArrayList<>();
    for (int i = 0; i < uv.length; i += 2) {
      edges.add(new scala.Tuple2<>(uv[i], uv[i + 1]));
    }
    return ComponentsSparkStage.isStarForest(
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelizePairs(edges), 2);
  }

  @Test
  void starForestIsDetectedOnlyWhenEveryLeafHasOneCentre() {
    assertThat(starForest("b", "a", "c", "a")).isTrue();
    assertThat(starForest("c", "b", "b", "a")).as("b is a leaf and a centre").isFalse();
    assertThat(starForest("c", "a", "c", "b")).as("c has two centres").isFalse();
  }
}
