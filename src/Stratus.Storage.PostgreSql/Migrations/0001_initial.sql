-- Stratus schema, PostgreSQL flavour. JSON columns are `json`, not `jsonb`, so documents keep the key order
-- they were written with (Cloudify users see inputs, outputs and runtime properties in that order).
-- Children reference parents with ON DELETE CASCADE.

CREATE TABLE tenants (
    storage_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE users (
    storage_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role text NOT NULL,
    active boolean NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE users_tenants (
    user_id bigint NOT NULL REFERENCES users (storage_id) ON DELETE CASCADE,
    tenant_id bigint NOT NULL REFERENCES tenants (storage_id) ON DELETE CASCADE,
    role text NOT NULL,
    PRIMARY KEY (user_id, tenant_id)
);

CREATE TABLE blueprints (
    tenant text NOT NULL,
    id text NOT NULL,
    created_by text NOT NULL,
    visibility text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    main_file_name text NOT NULL,
    plan json,
    description text,
    state text NOT NULL,
    error text,
    is_hidden boolean NOT NULL,
    PRIMARY KEY (tenant, id)
);

CREATE TABLE deployments (
    tenant text NOT NULL,
    id text NOT NULL,
    created_by text NOT NULL,
    visibility text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    blueprint_id text NOT NULL,
    display_name text NOT NULL,
    description text,
    inputs json NOT NULL,
    outputs json NOT NULL,
    capabilities json NOT NULL,
    node_groups json NOT NULL,
    scaling_groups json NOT NULL,
    policies json NOT NULL,
    workflows json NOT NULL,
    installation_status text NOT NULL,
    deployment_status text NOT NULL,
    latest_execution_id text,
    create_execution_id text,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, blueprint_id) REFERENCES blueprints (tenant, id)
);

CREATE INDEX ix_deployments_blueprint ON deployments (tenant, blueprint_id);

CREATE TABLE nodes (
    tenant text NOT NULL,
    deployment_id text NOT NULL,
    id text NOT NULL,
    blueprint_id text NOT NULL,
    created_by text NOT NULL,
    visibility text NOT NULL,
    type text NOT NULL,
    type_hierarchy json NOT NULL,
    properties json NOT NULL,
    operations json NOT NULL,
    relationships json NOT NULL,
    plugins json NOT NULL,
    plugins_to_install json NOT NULL,
    host_id text,
    number_of_instances integer NOT NULL,
    planned_number_of_instances integer NOT NULL,
    deploy_number_of_instances integer NOT NULL,
    min_number_of_instances integer NOT NULL,
    max_number_of_instances integer NOT NULL,
    PRIMARY KEY (tenant, deployment_id, id),
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE TABLE node_instances (
    tenant text NOT NULL,
    id text NOT NULL,
    node_id text NOT NULL,
    deployment_id text NOT NULL,
    created_by text NOT NULL,
    visibility text NOT NULL,
    host_id text,
    instance_index integer NOT NULL,
    relationships json NOT NULL,
    runtime_properties json NOT NULL,
    system_properties json,
    scaling_groups json NOT NULL,
    state text NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_node_instances_deployment ON node_instances (tenant, deployment_id, node_id);

CREATE TABLE executions (
    id text NOT NULL PRIMARY KEY,
    tenant text NOT NULL,
    created_by text NOT NULL,
    visibility text NOT NULL,
    workflow_id text NOT NULL,
    deployment_id text,
    blueprint_id text,
    status text NOT NULL,
    error text NOT NULL,
    parameters json NOT NULL,
    is_system_workflow boolean NOT NULL,
    is_dry_run boolean NOT NULL,
    allow_custom_parameters boolean NOT NULL,
    created_at timestamptz NOT NULL,
    started_at timestamptz,
    ended_at timestamptz,
    total_operations integer NOT NULL,
    finished_operations integer NOT NULL,
    token_hash text,
    resume boolean NOT NULL,
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_executions_tenant_deployment ON executions (tenant, deployment_id, status);
CREATE INDEX ix_executions_status ON executions (status, created_at);
CREATE INDEX ix_executions_token_hash ON executions (token_hash);

CREATE TABLE tasks_graphs (
    id text NOT NULL PRIMARY KEY,
    tenant text NOT NULL,
    execution_id text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    name text NOT NULL,
    state text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX ix_tasks_graphs_execution ON tasks_graphs (execution_id);

CREATE TABLE operations (
    id text NOT NULL PRIMARY KEY,
    tenant text NOT NULL,
    graph_id text NOT NULL REFERENCES tasks_graphs (id) ON DELETE CASCADE,
    name text NOT NULL,
    state text NOT NULL,
    dependencies json NOT NULL,
    type text NOT NULL,
    parameters json NOT NULL,
    manager_name text,
    agent_name text,
    created_at timestamptz NOT NULL
);

CREATE INDEX ix_operations_graph ON operations (graph_id);

CREATE TABLE events (
    storage_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL,
    timestamp timestamptz NOT NULL,
    reported_timestamp timestamptz NOT NULL,
    execution_id text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    tenant text NOT NULL,
    created_by text,
    visibility text NOT NULL,
    event_type text,
    logger text,
    level text,
    message text NOT NULL,
    message_code text,
    operation text,
    node_instance_id text,
    node_name text,
    source_id text,
    target_id text,
    error_causes json,
    manager_name text,
    agent_name text
);

CREATE INDEX ix_events_execution ON events (execution_id, storage_id);
CREATE INDEX ix_events_tenant_timestamp ON events (tenant, timestamp);
CREATE INDEX ix_events_tenant_storage_id ON events (tenant, storage_id);
