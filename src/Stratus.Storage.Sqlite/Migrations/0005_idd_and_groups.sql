-- Inter-deployment dependencies and deployment groups (Cloudify's inter_deployment_dependencies, deployment_groups
-- and deployment_groups_deployments). A dependency goes with its source deployment (cascade); its target is cleared
-- by the store when the target is deleted, because a composite SET NULL would clear the tenant column too.
CREATE TABLE inter_deployment_dependencies (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    created_at TEXT NOT NULL,
    dependency_creator TEXT NOT NULL,
    source_deployment_id TEXT,
    target_deployment_id TEXT,
    target_deployment_func TEXT,
    external_source TEXT,
    external_target TEXT,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, source_deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_idd_source ON inter_deployment_dependencies (tenant, source_deployment_id);
CREATE INDEX ix_idd_target ON inter_deployment_dependencies (tenant, target_deployment_id);

-- default_blueprint_id has no foreign key for the same reason; deleting the blueprint clears it.
CREATE TABLE deployment_groups (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    created_at TEXT NOT NULL,
    description TEXT,
    default_blueprint_id TEXT,
    default_inputs TEXT,
    creation_counter INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, id)
);

CREATE TABLE deployment_groups_deployments (
    tenant TEXT NOT NULL,
    group_id TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    PRIMARY KEY (tenant, group_id, deployment_id),
    FOREIGN KEY (tenant, group_id) REFERENCES deployment_groups (tenant, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_group_members_deployment ON deployment_groups_deployments (tenant, deployment_id);
