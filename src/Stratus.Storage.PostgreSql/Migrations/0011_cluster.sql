-- Several managers on one database (issue 5): Cloudify's managers table (one row per live manager, refreshed by its
-- heartbeat), a lease on each running execution (the manager that runs it and until when; renewed while it runs,
-- taken over by another manager once expired), and an idempotency key on events so a producer that resends a batch
-- (an agent retrying after a broker or database restart, a resumed engine) stores each event once. 0010 belongs to a
-- parallel change.
CREATE TABLE managers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    hostname text NOT NULL,
    private_ip text NOT NULL,
    public_ip text NOT NULL,
    version text NOT NULL,
    edition text NOT NULL,
    distribution text NOT NULL,
    started_at timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    status_report_frequency integer NOT NULL
);

ALTER TABLE executions ADD COLUMN lease_owner text;
ALTER TABLE executions ADD COLUMN lease_expires_at timestamptz;
CREATE INDEX ix_executions_lease ON executions (status, lease_expires_at);
-- A manager that takes an execution over issues a new execution token; operations already sent carry the previous
-- one, which stays valid until the execution ends.
ALTER TABLE executions ADD COLUMN previous_token_hash text;
CREATE INDEX ix_executions_previous_token_hash ON executions (previous_token_hash);

ALTER TABLE events ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX ux_events_idempotency_key ON events (execution_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
