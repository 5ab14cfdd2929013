-- Webhook order per connection: a delivery names what it is ordered by (the connection, or the connector for
-- connector events; null for test events, which are not ordered), and a worker does not send it while an earlier
-- delivery of the same key to the same endpoint is still pending. The partial index answers that question and stays
-- as small as the queue.
alter table webhook_delivery add column ordering_key varchar(40);

create index ix_webhook_delivery_order on webhook_delivery (endpoint_id, ordering_key, id) where status = 'PENDING';
