-- A change to connection rows notifies the replicas once per statement rather than once per row: the refresher
-- writes its marks and its refreshed pairs a group per statement, and one notification naming the group (payload
-- 'ids:' and the ids, comma-separated, split into several notifications to stay under PostgreSQL's 8000-byte limit)
-- costs less to queue, to deliver to every listening replica and to handle than one per row. A statement that changed
-- a single row still sends the row's id alone, as before.
--
-- Replicas of earlier versions understand only that form, so it is also sent row by row while any of their listening
-- sessions is connected (they name themselves 'token-broker change listener'; later ones add ', grouped'): a rolling
-- upgrade never leaves an earlier replica's cache holding a changed row.
create function broker_notify_connections_changed() returns trigger language plpgsql as $$
declare
    changed text[];
    payload text;
begin
    select array_agg(n.id) into changed
    from new_rows n join old_rows o on o.id = n.id
    where (o.status, o.status_reason, o.access_token, o.refresh_token, o.expires_at, o.granted_scopes, o.metadata,
           o.refresh_failures, o.refresh_due_at, o.version, o.connector_id, o.app_user_id, o.refresh_sent_at)
          is distinct from
          (n.status, n.status_reason, n.access_token, n.refresh_token, n.expires_at, n.granted_scopes, n.metadata,
           n.refresh_failures, n.refresh_due_at, n.version, n.connector_id, n.app_user_id, n.refresh_sent_at);
    if changed is null then
        return null;
    end if;
    if cardinality(changed) = 1 or exists (select 1 from pg_stat_activity
                                           where datname = current_database()
                                             and application_name = 'token-broker change listener') then
        perform pg_notify('broker_connection_changed', id) from unnest(changed) as u(id);
        return null;
    end if;
    for payload in
        select 'ids:' || string_agg(id, ',' order by ord)
        from (select id, ord, (sum(octet_length(id) + 1) over (order by ord) - 1) / 7000 as chunk
              from unnest(changed) with ordinality as u(id, ord)) as numbered
        group by chunk
    loop
        perform pg_notify('broker_connection_changed', payload);
    end loop;
    return null;
end
$$;

drop trigger connection_changed_update on connection;

create trigger connection_changed_update after update on connection
    referencing old table as old_rows new table as new_rows
    for each statement execute function broker_notify_connections_changed();
