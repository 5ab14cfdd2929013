-- Workspace API keys (the Base44 CLI's BASE44_API_KEY). Only the SHA-256 of a key is stored; the key itself is shown
-- once, when it is created. A key carries 256 random bits, so an unsalted hash cannot be reversed by guessing.
create table api_key (
    id            varchar(40)              not null primary key,
    app_id        varchar(128)             not null,
    name          varchar(200),
    key_hash      varchar(64)              not null,
    key_prefix    varchar(16)              not null,
    scopes        varchar(200)             not null,
    created_by    varchar(255),
    created_at    timestamp with time zone not null,
    last_used_at  timestamp with time zone,
    revoked_at    timestamp with time zone,
    constraint uq_api_key_hash unique (key_hash)
);

create index ix_api_key_app on api_key (app_id);

-- A removed connector is first disabled: it disappears from every read at once, but keeps its encrypted tokens until
-- purge_after, so that a mistaken removal (such as a CLI push from an empty directory) can be restored as it was.
-- Purging then revokes the grants at the provider and deletes the rows.
alter table connector add column disabled_at timestamp with time zone;
alter table connector add column purge_after timestamp with time zone;

create index ix_connector_purge_after on connector (purge_after);
