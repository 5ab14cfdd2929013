-- PostgreSQL only: change notifications for the replicas' connection caches, and a BRIN index on the audit trail's
-- time. A dev-mode broker on H2 is a single process that does not cache connection rows.
comment on table connection is 'One grant per connector and end user; tokens are ciphertexts.';
