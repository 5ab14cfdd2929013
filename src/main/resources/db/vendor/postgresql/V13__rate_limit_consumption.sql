-- Rate limits shared by all replicas: per token bucket (route group, scope, limit and a digest of app and caller),
-- the total its replicas consumed, and the tokens the last writer had left then (how a replica that starts using the
-- bucket learns what was spent before). Each replica counts in memory and adds its consumption here in one statement
-- per synchronization; rows nobody wrote since expires_at are deleted.
-- Every active bucket's row is updated about once a second per replica: no index but the key, and room in each page,
-- so that PostgreSQL updates rows in place (HOT) without touching an index. The deletion of expired rows, once a
-- minute, scans the table instead.
create table rate_limit_consumption (
    key text primary key,
    consumed bigint not null,
    tokens bigint not null,
    synced_at timestamptz not null,
    expires_at timestamptz not null
) with (fillfactor = 70);

-- The buckets of the earlier implementation (one serialized Bucket4j state per row). Replicas of an earlier version
-- still running during a rolling upgrade then count in their own memory until they are replaced.
drop table rate_limit_buckets;
