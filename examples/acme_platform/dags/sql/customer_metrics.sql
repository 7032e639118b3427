-- One row: every column becomes the gauge sales.customers.<column>.
SELECT
    count(*) AS ingested,
    count(DISTINCT country) AS countries
FROM sales.customers
WHERE ingested_on = '{{ ds }}'
