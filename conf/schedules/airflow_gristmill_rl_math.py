"""The RL math chain as an Airflow DAG: one SparkSubmitOperator task per Gristmill step.

Each step reads only the previous step's dataset folder (Gristmill resolves a dataset folder to its
LATEST complete snapshot and checks its kind before Spark starts), so a failed step leaves the
downstream tasks reading nothing half-written. Configs are conf/pipelines/rl-math/*.yaml; the
output root is given once here and overrides output_root in every config.
Exit codes: 0 ok, 2 config/kind error, 3 unreadable input, 4 output, 5 model/resource (e.g. no GPU
when device: gpu), 1 internal.
"""
import glob
import pendulum
from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

GRISTMILL = "/opt/gristmill"
ROOT = "hdfs:///data/gristmill/rl-math"
CONF = f"{GRISTMILL}/conf/pipelines/rl-math"
JARS = ",".join(sorted(glob.glob(f"{GRISTMILL}/jobs/target/lib/*.jar")))
SPARK_CONF = {
    "spark.executor.extraJavaOptions": "-Dai.djl.offline=true",
    "spark.driver.extraJavaOptions": "-Dai.djl.offline=true",
}


def step(task_id, *args):
    return SparkSubmitOperator(
        task_id=task_id,
        conn_id="spark_default",
        application=f"{GRISTMILL}/jobs/target/gristmill-jobs.jar",
        java_class="io.gristmill.jobs.GristmillMain",
        jars=JARS,
        application_args=list(args),
        conf=SPARK_CONF,
    )


with DAG(
    dag_id="gristmill_rl_math",
    schedule="30 3 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["gristmill", "rl"],
) as dag:
    curate = step("curate", "curate", "--config", f"{CONF}/1-curate.yaml", "--output", ROOT)
    rollout = step("rollout", "rollout", "--config", f"{CONF}/2-rollout.yaml", "--output", ROOT)
    score = step("score", "score", "--config", f"{CONF}/3-score.yaml", "--output", ROOT)
    train = step("value_model_train", "value-model", "train",
                 "--config", f"{CONF}/4-value-model.yaml", "--output", ROOT)
    select = step("value_model_select", "value-model", "select",
                  "--config", f"{CONF}/4-value-model.yaml", "--output", ROOT)
    rollout_selected = step("rollout_selected", "rollout",
                            "--config", f"{CONF}/5-rollout-selected.yaml", "--output", ROOT)
    score_selected = step("score_selected", "score",
                          "--config", f"{CONF}/6-score-selected.yaml", "--output", ROOT)
    export_shards = step("export_shards_rl", "export",
                         "--snapshot", f"{ROOT}/rl-math-scored-selected", "--format", "shards-rl",
                         "--config", f"{CONF}/7-export-rl.yaml",
                         "--output", f"{ROOT}/exports/shards-rl/{{{{ ds_nodash }}}}")
    export_verl = step("export_verl", "export",
                       "--snapshot", f"{ROOT}/rl-math-selection", "--format", "verl",
                       "--output", f"{ROOT}/exports/verl/{{{{ ds_nodash }}}}")

    curate >> rollout >> score >> train >> select >> rollout_selected >> score_selected
    score_selected >> export_shards
    select >> export_verl
