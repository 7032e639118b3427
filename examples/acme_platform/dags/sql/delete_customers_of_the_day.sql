-- Makes a re-run of the day's load idempotent.
DELETE FROM sales.customers WHERE ingested_on = '{{ ds }}'
