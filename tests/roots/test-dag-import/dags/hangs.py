"""A DAG file that hangs when imported, where no signal reaches it."""

import signal
import time

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG(dag_id="hangs_at_import", schedule=None) as dag:
    EmptyOperator(task_id="first")

signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
while True:
    time.sleep(1)
