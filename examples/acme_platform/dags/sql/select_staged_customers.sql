-- The day's batch of customers in the SQLite staging database, under the warehouse's column names.
SELECT
    customer_id AS id,
    full_name AS name,
    country_code AS country,
    '{{ ds }}' AS ingested_on
FROM staged_customers
WHERE batch_id = 'customers_{{ ds_nodash }}'
