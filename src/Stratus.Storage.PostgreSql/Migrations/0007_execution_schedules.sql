-- Execution schedules (Cloudify's execution_schedules): unique per tenant and deployment, gone with the deployment.
-- The scheduler finds due rows by next_occurrence and fires one by compare-and-set on it.
CREATE TABLE execution_schedules (
    tenant text NOT NULL,
    deployment_id text NOT NULL,
    id text NOT NULL,
    created_by text NOT NULL,
    visibility text NOT NULL,
    created_at timestamptz NOT NULL,
    workflow_id text NOT NULL,
    parameters json,
    execution_arguments json NOT NULL,
    since timestamptz,
    until timestamptz,
    rule json NOT NULL,
    slip integer NOT NULL,
    stop_on_fail boolean NOT NULL,
    enabled boolean NOT NULL,
    next_occurrence timestamptz,
    latest_execution_id text REFERENCES executions (id) ON DELETE SET NULL,
    PRIMARY KEY (tenant, deployment_id, id),
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_execution_schedules_next ON execution_schedules (enabled, next_occurrence);
