-- Labels of blueprints and deployments (Cloudify's blueprints_labels and deployments_labels): a key may carry
-- several values, a key/value pair appears once per resource, and the labels go with their resource.
CREATE TABLE blueprints_labels (
    tenant text NOT NULL,
    blueprint_id text NOT NULL,
    key text NOT NULL,
    value text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    PRIMARY KEY (tenant, blueprint_id, key, value),
    FOREIGN KEY (tenant, blueprint_id) REFERENCES blueprints (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_blueprints_labels_key ON blueprints_labels (tenant, key, value);

CREATE TABLE deployments_labels (
    tenant text NOT NULL,
    deployment_id text NOT NULL,
    key text NOT NULL,
    value text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    PRIMARY KEY (tenant, deployment_id, key, value),
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_deployments_labels_key ON deployments_labels (tenant, key, value);

-- The csys-obj-parent graph (Cloudify's deployment_labels_dependencies): source is the child, target the parent.
CREATE TABLE deployment_labels_dependencies (
    tenant text NOT NULL,
    source_deployment_id text NOT NULL,
    target_deployment_id text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, source_deployment_id, target_deployment_id),
    FOREIGN KEY (tenant, source_deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant, target_deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_deployment_labels_dependencies_target ON deployment_labels_dependencies (tenant, target_deployment_id);
