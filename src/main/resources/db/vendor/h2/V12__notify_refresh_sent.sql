-- PostgreSQL only: refresh_sent_at joins the columns whose change notifies the replicas' connection caches. A
-- dev-mode broker on H2 is a single process that does not cache connection rows.
comment on column connection.refresh_sent_at is 'When the refresh token was sent, until the answer is stored.';
