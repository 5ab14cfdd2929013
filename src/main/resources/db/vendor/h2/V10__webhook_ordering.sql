-- Webhook order per connection, as on PostgreSQL (H2 has no partial indexes: the index covers every delivery).
alter table webhook_delivery add column ordering_key varchar(40);

create index ix_webhook_delivery_order on webhook_delivery (endpoint_id, ordering_key, id);
