-- Every replica keeps a bounded cache of the connection rows it serves. A change to anything a read serves
-- (tokens, expiry, status, scopes, metadata, the refresh schedule a read consults, or the connector's config and
-- removal) notifies every replica on the channel broker_connection_changed, after commit, so that each drops its
-- copy. Payload: the connection id, or 'connector:' and the connector id. Lease bookkeeping notifies nobody.
create function broker_notify_connection_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform pg_notify('broker_connection_changed', old.id);
    else
        perform pg_notify('broker_connection_changed', new.id);
    end if;
    return null;
end
$$;

create trigger connection_changed_insert_delete after insert or delete on connection
    for each row execute function broker_notify_connection_changed();

create trigger connection_changed_update after update on connection
    for each row
    when ((old.status, old.status_reason, old.access_token, old.refresh_token, old.expires_at, old.granted_scopes,
           old.metadata, old.refresh_failures, old.refresh_due_at, old.version, old.connector_id, old.app_user_id)
          is distinct from
          (new.status, new.status_reason, new.access_token, new.refresh_token, new.expires_at, new.granted_scopes,
           new.metadata, new.refresh_failures, new.refresh_due_at, new.version, new.connector_id, new.app_user_id))
    execute function broker_notify_connection_changed();

create function broker_notify_connector_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('broker_connection_changed', 'connector:' || old.id);
    return null;
end
$$;

create trigger connector_changed after update or delete on connector
    for each row execute function broker_notify_connector_changed();

-- The audit trail is appended to in time order and only ever cut by time (the retention purge): a BRIN index serves
-- that range and costs next to nothing per insert, where the B-tree it replaces was updated on every token read.
drop index ix_audit_event_time;
create index ix_audit_event_time on audit_event using brin (occurred_at);
