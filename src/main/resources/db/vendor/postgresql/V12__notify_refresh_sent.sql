-- Token reads must see that a refresh is in flight (refresh_sent_at) at once, cached rows included: the column joins
-- the ones whose change notifies every replica.
drop trigger connection_changed_update on connection;

create trigger connection_changed_update after update on connection
    for each row
    when ((old.status, old.status_reason, old.access_token, old.refresh_token, old.expires_at, old.granted_scopes,
           old.metadata, old.refresh_failures, old.refresh_due_at, old.version, old.connector_id, old.app_user_id,
           old.refresh_sent_at)
          is distinct from
          (new.status, new.status_reason, new.access_token, new.refresh_token, new.expires_at, new.granted_scopes,
           new.metadata, new.refresh_failures, new.refresh_due_at, new.version, new.connector_id, new.app_user_id,
           new.refresh_sent_at))
    execute function broker_notify_connection_changed();
