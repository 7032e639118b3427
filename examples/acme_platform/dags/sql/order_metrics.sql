-- One row: every column becomes the gauge fulfilment.orders.<column>.
SELECT
    count(*) AS shipped,
    count(DISTINCT warehouse_id) AS warehouses
FROM fulfilment.orders
WHERE shipped_at >= '{{ data_interval_start }}' AND shipped_at < '{{ data_interval_end }}'
