package io.gristmill.core.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.spark.SparkSchemas;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class DatasetKindTest {
  @Test
  void idsRoundTripAndUnknownIdsFail() {
    for (DatasetKind k : DatasetKind.values()) {
      assertThat(DatasetKind.fromId(k.id())).isSameAs(k);
    }
    assertThat(DatasetKind.SCORED_ROLLOUT.id()).isEqualTo("scored_rollout");
    assertThatThrownBy(() -> DatasetKind.fromId("rollouts"))
        .hasMessage("unknown dataset kind 'rollouts'");
  }

  @Test
  void missingColumnsAreListedAndNullabilityIsIgnored() {
    assertThat(DatasetKind.CONVERSATION.missingFrom(SparkSchemas.CONVERSATION)).isEmpty();
    StructType rollout = KindSchemas.ROLLOUT.add("extra", DataTypes.StringType);
    assertThat(DatasetKind.ROLLOUT.missingFrom(rollout)).isEmpty();
    StructType noAdvantage =
        new StructType(
            java.util.Arrays.stream(KindSchemas.SCORED_ROLLOUT.fields())
                .filter(f -> !f.name().equals("advantage"))
                .toArray(org.apache.spark.sql.types.StructField[]::new));
    assertThat(DatasetKind.SCORED_ROLLOUT.missingFrom(noAdvantage))
        .containsExactly("advantage (double)");
    StructType wrongType =
        new StructType()
            .add("prompt_id", DataTypes.IntegerType)
            .add("data_source", DataTypes.StringType);
    assertThat(DatasetKind.DIFFICULTY.missingFrom(wrongType)).contains("prompt_id (string)");
  }
}
