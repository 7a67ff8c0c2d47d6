-- Agents (Cloudify's agents table): one row per agent process, named after its queue. Names are unique across
-- tenants because one broker carries every agent's queue. node_instance_id is set when an install binds the agent
-- to its host instance (deployment_id and node_id are copied from it then); the row goes with that instance.
-- last_heartbeat is Stratus's (Cloudify pings agents over AMQP instead). 0009 belongs to a parallel change.
CREATE TABLE agents (
    id TEXT NOT NULL PRIMARY KEY,
    tenant TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    node_instance_id TEXT,
    deployment_id TEXT,
    node_id TEXT,
    ip TEXT,
    install_method TEXT NOT NULL,
    system TEXT,
    version TEXT NOT NULL,
    state TEXT NOT NULL,
    rabbitmq_exchange TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    last_heartbeat TEXT,
    FOREIGN KEY (tenant, node_instance_id) REFERENCES node_instances (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_agents_tenant_deployment ON agents (tenant, deployment_id, node_id);
CREATE INDEX ix_agents_node_instance ON agents (tenant, node_instance_id);
