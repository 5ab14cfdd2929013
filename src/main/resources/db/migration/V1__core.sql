-- Portable SQL: the same migrations run on PostgreSQL (production) and H2 (dev mode and tests).
-- Secrets are stored as base64 Tink AEAD ciphertexts whose associated data names their row.

create table app (
    id          varchar(128)             not null primary key,
    created_at  timestamp with time zone not null
);

create table connector (
    id                varchar(40)              not null primary key,
    app_id            varchar(128)             not null references app (id),
    integration_type  varchar(64)              not null,
    scopes            varchar(4000)            not null,
    connection_config varchar(4000),
    created_at        timestamp with time zone not null,
    updated_at        timestamp with time zone not null,
    constraint uq_connector_app_type unique (app_id, integration_type)
);

-- One row per authorized account: the app-wide connection has app_user_id '' (so the unique key works on every
-- database); a per-end-user connection names the app's user.
create table connection (
    id                 varchar(40)              not null primary key,
    connector_id       varchar(40)              not null references connector (id) on delete cascade,
    app_id             varchar(128)             not null,
    app_user_id        varchar(255)             not null,
    status             varchar(16)              not null,
    status_reason      varchar(1000),
    access_token       varchar(8000),
    refresh_token      varchar(8000),
    expires_at         timestamp with time zone,
    granted_scopes     varchar(4000),
    account_id         varchar(255),
    account_email      varchar(320),
    metadata           varchar(4000),
    authorized_at      timestamp with time zone,
    last_refreshed_at  timestamp with time zone,
    refresh_due_at     timestamp with time zone,
    refresh_failures   integer                  not null default 0,
    lease_owner        varchar(100),
    lease_until        timestamp with time zone,
    version            bigint                   not null,
    created_at         timestamp with time zone not null,
    updated_at         timestamp with time zone not null,
    constraint uq_connection_connector_user unique (connector_id, app_user_id)
);

create index ix_connection_refresh_due on connection (refresh_due_at);

-- An authorization attempt. The state itself is never stored, only its SHA-256; the row survives its use (consumed_at)
-- so that clients can poll the attempt's outcome by id.
create table oauth_state (
    id            varchar(40)              not null primary key,
    state_hash    varchar(64)              not null,
    app_id        varchar(128)             not null,
    connector_id  varchar(40)              not null references connector (id) on delete cascade,
    app_user_id   varchar(255)             not null,
    scopes        varchar(4000)            not null,
    code_verifier varchar(1000),
    return_url    varchar(2000),
    outcome       varchar(16)              not null,
    error         varchar(1000),
    expires_at    timestamp with time zone not null,
    consumed_at   timestamp with time zone,
    created_at    timestamp with time zone not null,
    constraint uq_oauth_state_hash unique (state_hash)
);

create index ix_oauth_state_expires on oauth_state (expires_at);
