-- Inter-deployment dependencies and deployment groups (Cloudify's inter_deployment_dependencies, deployment_groups
-- and deployment_groups_deployments). A dependency goes with its source deployment (cascade); its target is cleared
-- by the store when the target is deleted, because a composite SET NULL would clear the tenant column too.
CREATE TABLE inter_deployment_dependencies (
    tenant text NOT NULL,
    id text NOT NULL,
    created_by text NOT NULL,
    visibility text NOT NULL,
    created_at timestamptz NOT NULL,
    dependency_creator text NOT NULL,
    source_deployment_id text,
    target_deployment_id text,
    target_deployment_func json,
    external_source json,
    external_target json,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, source_deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_idd_source ON inter_deployment_dependencies (tenant, source_deployment_id);
CREATE INDEX ix_idd_target ON inter_deployment_dependencies (tenant, target_deployment_id);

-- default_blueprint_id has no foreign key for the same reason; deleting the blueprint clears it.
CREATE TABLE deployment_groups (
    tenant text NOT NULL,
    id text NOT NULL,
    created_by text NOT NULL,
    visibility text NOT NULL,
    created_at timestamptz NOT NULL,
    description text,
    default_blueprint_id text,
    default_inputs json,
    creation_counter integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, id)
);

CREATE TABLE deployment_groups_deployments (
    tenant text NOT NULL,
    group_id text NOT NULL,
    deployment_id text NOT NULL,
    PRIMARY KEY (tenant, group_id, deployment_id),
    FOREIGN KEY (tenant, group_id) REFERENCES deployment_groups (tenant, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_group_members_deployment ON deployment_groups_deployments (tenant, deployment_id);
