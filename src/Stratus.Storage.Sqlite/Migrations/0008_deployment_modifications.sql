-- Deployment modifications (Cloudify's deployment_modifications, the ground of scale): gone with the deployment.
-- At most one started modification per deployment, held by the partial unique index as well as by the check the
-- store makes under the deployment's row lock (which gives Cloudify's error message).
CREATE TABLE deployment_modifications (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    ended_at TEXT,
    modified_nodes TEXT NOT NULL,
    node_instances TEXT NOT NULL,
    context TEXT NOT NULL,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_deployment_modifications_deployment ON deployment_modifications (tenant, deployment_id, created_at);
CREATE UNIQUE INDEX ux_deployment_modifications_started ON deployment_modifications (tenant, deployment_id) WHERE status = 'started';
