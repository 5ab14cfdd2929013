-- When the connection's refresh token was sent to the provider, until the answer is stored (a new pair, a refusal or
-- a transient failure clears it). A value whose lease has run out means the refresher died mid-call: the provider
-- may have rotated the tokens already, so the stored access token may be revoked and is not served until a refresh
-- (or the provider's refusal) settles it.
alter table connection add column refresh_sent_at timestamp with time zone;
