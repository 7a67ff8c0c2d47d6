-- Identity (Cloudify's users, groups, groups_tenants, tokens): login bookkeeping on users for the lockout rule,
-- user groups with a system role, group membership and group tenant roles, and API tokens. A token row keeps
-- only a SHA-256 of its secret; the secret is shown once, at creation. 0007 and 0008 belong to parallel changes.
ALTER TABLE users ADD COLUMN first_login_at TEXT;
ALTER TABLE users ADD COLUMN last_login_at TEXT;
ALTER TABLE users ADD COLUMN last_failed_login_at TEXT;
ALTER TABLE users ADD COLUMN failed_logins_counter INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN show_getting_started INTEGER NOT NULL DEFAULT 1;

CREATE TABLE user_groups (
    storage_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    ldap_dn TEXT UNIQUE,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE user_groups_users (
    group_id INTEGER NOT NULL REFERENCES user_groups (storage_id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (storage_id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);

CREATE INDEX ix_user_groups_users_user ON user_groups_users (user_id);

CREATE TABLE groups_tenants (
    group_id INTEGER NOT NULL REFERENCES user_groups (storage_id) ON DELETE CASCADE,
    tenant_id INTEGER NOT NULL REFERENCES tenants (storage_id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (group_id, tenant_id)
);

CREATE INDEX ix_users_tenants_tenant ON users_tenants (tenant_id);
CREATE INDEX ix_groups_tenants_tenant ON groups_tenants (tenant_id);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    description TEXT,
    user_id INTEGER NOT NULL REFERENCES users (storage_id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expiration_date TEXT,
    last_used TEXT
);

CREATE INDEX ix_tokens_user ON tokens (user_id);
