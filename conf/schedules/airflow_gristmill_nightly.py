"""Nightly Gristmill refresh as an Airflow DAG (apache-airflow-providers-apache-spark).

The task submits the thin application jar with its lib/ jars and runs `refresh`: only new input
files are read (every input again when one changed or was deleted; the first run curates all), and
LATEST moves only after a complete snapshot, so downstream tasks read the newest good data. A
non-zero exit code fails the task (0 ok or "Nothing new", 2 config, 3 input, 4 output or the
dataset lock held by another run, 5 model, 1 internal). max_active_runs=1 keeps two nights from
overlapping; the dataset lock refuses a second run anyway.
"""
import glob
import pendulum
from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

GRISTMILL = "/opt/gristmill"

with DAG(
    dag_id="gristmill_nightly_refresh",
    schedule="15 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["gristmill", "post-training-data"],
) as dag:
    refresh = SparkSubmitOperator(
        task_id="refresh",
        conn_id="spark_default",
        application=f"{GRISTMILL}/jobs/target/gristmill-jobs.jar",
        java_class="io.gristmill.jobs.GristmillMain",
        jars=",".join(sorted(glob.glob(f"{GRISTMILL}/jobs/target/lib/*.jar"))),
        application_args=[
            "refresh",
            "--config", f"{GRISTMILL}/conf/demo.yaml",
            "--output", "hdfs:///data/gristmill",
        ],
        conf={
            "spark.executor.extraJavaOptions": "-Dai.djl.offline=true",
            "spark.driver.extraJavaOptions": "-Dai.djl.offline=true",
        },
    )
