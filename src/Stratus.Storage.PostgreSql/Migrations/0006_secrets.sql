-- Secrets (Cloudify's secrets table): unique per tenant; a global secret's key is also kept unique across tenants by
-- the store. value holds AES-256-GCM text (SecretCipher), never the clear value. 0004 and 0005 belong to changes made
-- in parallel (labels, deployment dependencies).
CREATE TABLE secrets (
    tenant text NOT NULL,
    id text NOT NULL,
    value text NOT NULL,
    is_hidden_value boolean NOT NULL,
    schema json,
    visibility text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, id)
);

CREATE INDEX ix_secrets_id ON secrets (id, visibility);
