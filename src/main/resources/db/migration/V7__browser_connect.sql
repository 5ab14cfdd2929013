-- End users connect from the app's own page. A connect link (its ticket, hashed) opens a confirmation page once; the
-- browser that opened it gets a cookie whose hash is the binding the callback checks; the page's form carries a
-- single-use confirmation token (hashed). Never a ticket, cookie or token in clear.
alter table oauth_state add column connect_ticket_hash varchar(64);
alter table oauth_state add column browser_binding_hash varchar(64);
alter table oauth_state add column confirm_token_hash varchar(64);
alter table oauth_state add column opened_at timestamp with time zone;
alter table oauth_state add column app_user_label varchar(255);
create unique index uq_oauth_state_ticket on oauth_state (connect_ticket_hash);

-- The origins an app's frontend calls the end-user routes from (CORS), and may be sent back to after connecting.
create table app_allowed_origin (
    app_id     varchar(128)             not null,
    origin     varchar(255)             not null,
    created_at timestamp with time zone not null,
    constraint pk_app_allowed_origin primary key (app_id, origin)
);
