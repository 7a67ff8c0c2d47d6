-- Execution schedules (Cloudify's execution_schedules): unique per tenant and deployment, gone with the deployment.
-- The scheduler finds due rows by next_occurrence and fires one by compare-and-set on it.
CREATE TABLE execution_schedules (
    tenant TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    created_at TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    parameters TEXT,
    execution_arguments TEXT NOT NULL,
    since TEXT,
    until TEXT,
    rule TEXT NOT NULL,
    slip INTEGER NOT NULL,
    stop_on_fail INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    next_occurrence TEXT,
    latest_execution_id TEXT REFERENCES executions (id) ON DELETE SET NULL,
    PRIMARY KEY (tenant, deployment_id, id),
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_execution_schedules_next ON execution_schedules (enabled, next_occurrence);
