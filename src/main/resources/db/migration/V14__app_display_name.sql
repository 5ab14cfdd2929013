-- The name end users see for an app on the connect page; the id stays the app's identity.
alter table app add column display_name varchar(100);
