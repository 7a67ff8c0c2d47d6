-- Agents (Cloudify's agents table): one row per agent process, named after its queue. Names are unique across
-- tenants because one broker carries every agent's queue. node_instance_id is set when an install binds the agent
-- to its host instance (deployment_id and node_id are copied from it then); the row goes with that instance.
-- last_heartbeat is Stratus's (Cloudify pings agents over AMQP instead). 0009 belongs to a parallel change.
CREATE TABLE agents (
    id text NOT NULL PRIMARY KEY,
    tenant text NOT NULL,
    created_by text NOT NULL,
    visibility text NOT NULL,
    node_instance_id text,
    deployment_id text,
    node_id text,
    ip text,
    install_method text NOT NULL,
    system text,
    version text NOT NULL,
    state text NOT NULL,
    rabbitmq_exchange text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz,
    last_heartbeat timestamptz,
    FOREIGN KEY (tenant, node_instance_id) REFERENCES node_instances (tenant, id) ON DELETE CASCADE
);

CREATE INDEX ix_agents_tenant_deployment ON agents (tenant, deployment_id, node_id);
CREATE INDEX ix_agents_node_instance ON agents (tenant, node_instance_id);
