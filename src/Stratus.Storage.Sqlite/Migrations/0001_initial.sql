-- Stratus schema, SQLite flavour. Timestamps are UTC text 'yyyy-MM-ddTHH:mm:ss.ffffffZ' (sorts as it reads);
-- JSON columns hold JSON text; booleans are 0/1. Children reference parents with ON DELETE CASCADE.

CREATE TABLE tenants (
    storage_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE users (
    storage_id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    active INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE users_tenants (
    user_id INTEGER NOT NULL REFERENCES users (storage_id) ON DELETE CASCADE,
    tenant_id INTEGER NOT NULL REFERENCES tenants (storage_id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, tenant_id)
);

CREATE TABLE blueprints (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    main_file_name TEXT NOT NULL,
    plan TEXT,
    description TEXT,
    state TEXT NOT NULL,
    error TEXT,
    is_hidden INTEGER NOT NULL,
    PRIMARY KEY (tenant, id)
);

CREATE TABLE deployments (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    blueprint_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    description TEXT,
    inputs TEXT NOT NULL,
    outputs TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    node_groups TEXT NOT NULL,
    scaling_groups TEXT NOT NULL,
    policies TEXT NOT NULL,
    workflows TEXT NOT NULL,
    installation_status TEXT NOT NULL,
    deployment_status TEXT NOT NULL,
    latest_execution_id TEXT,
    create_execution_id TEXT,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, blueprint_id) REFERENCES blueprints (tenant, id)
);

CREATE INDEX ix_deployments_blueprint ON deployments (tenant, blueprint_id);

CREATE TABLE nodes (
    tenant TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    id TEXT NOT NULL,
    blueprint_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    type TEXT NOT NULL,
    type_hierarchy TEXT NOT NULL,
    properties TEXT NOT NULL,
    operations TEXT NOT NULL,
    relationships TEXT NOT NULL,
    plugins TEXT NOT NULL,
    plugins_to_install TEXT NOT NULL,
    host_id TEXT,
    number_of_instances INTEGER NOT NULL,
    planned_number_of_instances INTEGER NOT NULL,
    deploy_number_of_instances INTEGER NOT NULL,
    min_number_of_instances INTEGER NOT NULL,
    max_number_of_instances INTEGER NOT NULL,
    PRIMARY KEY (tenant, deployment_id, id),
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE TABLE node_instances (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    node_id TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    host_id TEXT,
    instance_index INTEGER NOT NULL,
    relationships TEXT NOT NULL,
    runtime_properties TEXT NOT NULL,
    system_properties TEXT,
    scaling_groups TEXT NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_node_instances_deployment ON node_instances (tenant, deployment_id, node_id);

CREATE TABLE executions (
    id TEXT NOT NULL PRIMARY KEY,
    tenant TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    deployment_id TEXT,
    blueprint_id TEXT,
    status TEXT NOT NULL,
    error TEXT NOT NULL,
    parameters TEXT NOT NULL,
    is_system_workflow INTEGER NOT NULL,
    is_dry_run INTEGER NOT NULL,
    allow_custom_parameters INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    ended_at TEXT,
    total_operations INTEGER NOT NULL,
    finished_operations INTEGER NOT NULL,
    token_hash TEXT,
    resume INTEGER NOT NULL,
    FOREIGN KEY (tenant, deployment_id) REFERENCES deployments (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_executions_tenant_deployment ON executions (tenant, deployment_id, status);
CREATE INDEX ix_executions_status ON executions (status, created_at);
CREATE INDEX ix_executions_token_hash ON executions (token_hash);

CREATE TABLE tasks_graphs (
    id TEXT NOT NULL PRIMARY KEY,
    tenant TEXT NOT NULL,
    execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX ix_tasks_graphs_execution ON tasks_graphs (execution_id);

CREATE TABLE operations (
    id TEXT NOT NULL PRIMARY KEY,
    tenant TEXT NOT NULL,
    graph_id TEXT NOT NULL REFERENCES tasks_graphs (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    dependencies TEXT NOT NULL,
    type TEXT NOT NULL,
    parameters TEXT NOT NULL,
    manager_name TEXT,
    agent_name TEXT,
    created_at TEXT NOT NULL
);

CREATE INDEX ix_operations_graph ON operations (graph_id);

CREATE TABLE events (
    storage_id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    reported_timestamp TEXT NOT NULL,
    execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    tenant TEXT NOT NULL,
    created_by TEXT,
    visibility TEXT NOT NULL,
    event_type TEXT,
    logger TEXT,
    level TEXT,
    message TEXT NOT NULL,
    message_code TEXT,
    operation TEXT,
    node_instance_id TEXT,
    node_name TEXT,
    source_id TEXT,
    target_id TEXT,
    error_causes TEXT,
    manager_name TEXT,
    agent_name TEXT
);

CREATE INDEX ix_events_execution ON events (execution_id, storage_id);
CREATE INDEX ix_events_tenant_timestamp ON events (tenant, timestamp);
CREATE INDEX ix_events_tenant_storage_id ON events (tenant, storage_id);
