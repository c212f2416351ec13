"""Nightly Gristmill curation as an Airflow DAG (apache-airflow-providers-apache-spark).

The task submits the thin application jar with its lib/ jars; a non-zero exit code fails the task,
and LATEST moves only after a complete snapshot, so downstream tasks read the newest good data.
"""
import glob
import pendulum
from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

GRISTMILL = "/opt/gristmill"

with DAG(
    dag_id="gristmill_nightly_curate",
    schedule="15 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["gristmill", "post-training-data"],
) as dag:
    curate = SparkSubmitOperator(
        task_id="curate",
        conn_id="spark_default",
        application=f"{GRISTMILL}/jobs/target/gristmill-jobs.jar",
        java_class="io.gristmill.jobs.GristmillMain",
        jars=",".join(sorted(glob.glob(f"{GRISTMILL}/jobs/target/lib/*.jar"))),
        application_args=[
            "curate",
            "--config", f"{GRISTMILL}/conf/demo.yaml",
            "--output", "hdfs:///data/gristmill",
        ],
        conf={
            "spark.executor.extraJavaOptions": "-Dai.djl.offline=true",
            "spark.driver.extraJavaOptions": "-Dai.djl.offline=true",
        },
    )
