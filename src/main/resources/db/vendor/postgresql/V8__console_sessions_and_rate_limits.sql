-- State every replica must see, so that a deployment of several replicas behaves as one.

-- Console sessions (Spring Session JDBC, its schema for PostgreSQL): the signed-in operator, the CSRF token and an
-- OIDC sign-in in progress, so that any replica can serve the next request and the identity provider's callback.
-- PRINCIPAL_NAME is wider than Spring Session's 100 characters: OIDC subjects may have up to 255.
create table spring_session (
    primary_id char(36) not null,
    session_id char(36) not null,
    creation_time bigint not null,
    last_access_time bigint not null,
    max_inactive_interval int not null,
    expiry_time bigint not null,
    principal_name varchar(1024),
    constraint spring_session_pk primary key (primary_id)
);

create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);

create table spring_session_attributes (
    session_primary_id char(36) not null,
    attribute_name varchar(200) not null,
    attribute_bytes bytea not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id)
        references spring_session (primary_id) on delete cascade
);

-- Rate-limit token buckets (Bucket4j's PostgreSQL proxy manager): one row per route group, scope (caller or app)
-- and limit; state is Bucket4j's serialized bucket. Rows past expires_at (epoch milliseconds, when the bucket would
-- be full again) are deleted by the replicas.
create table rate_limit_buckets (
    id text primary key,
    state bytea,
    expires_at bigint
);

create index rate_limit_buckets_expires_at on rate_limit_buckets (expires_at);
