-- Secrets (Cloudify's secrets table): unique per tenant; a global secret's key is also kept unique across tenants by
-- the store. value holds AES-256-GCM text (SecretCipher), never the clear value. 0004 and 0005 belong to changes made
-- in parallel (labels, deployment dependencies).
CREATE TABLE secrets (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    value TEXT NOT NULL,
    is_hidden_value INTEGER NOT NULL,
    schema TEXT,
    visibility TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);

CREATE INDEX ix_secrets_id ON secrets (id, visibility);
