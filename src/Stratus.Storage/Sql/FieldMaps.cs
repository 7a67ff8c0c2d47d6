namespace Stratus.Storage.Sql;

/// <summary>The list whitelists, one per resource, with the table aliases the store's queries use.</summary>
internal static class FieldMaps
{
    public static FieldMap Blueprints { get; } = new()
    {
        Resource = "Blueprint",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("b.id"),
            ["created_at"] = new("b.created_at", ColumnKind.Timestamp),
            ["updated_at"] = new("b.updated_at", ColumnKind.Timestamp),
            ["state"] = new("b.state"),
            ["main_file_name"] = new("b.main_file_name"),
            ["visibility"] = new("b.visibility"),
            ["created_by"] = new("b.created_by"),
            ["tenant_name"] = new("b.tenant"),
            ["description"] = new("b.description"),
            ["is_hidden"] = new("b.is_hidden", ColumnKind.Boolean),
        },
        SearchColumn = "b.id",
        DefaultOrder = "b.created_at ASC, b.id ASC, b.tenant ASC",
    };

    public static FieldMap Deployments { get; } = new()
    {
        Resource = "Deployment",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("d.id"),
            ["blueprint_id"] = new("d.blueprint_id"),
            ["display_name"] = new("d.display_name"),
            ["created_at"] = new("d.created_at", ColumnKind.Timestamp),
            ["updated_at"] = new("d.updated_at", ColumnKind.Timestamp),
            ["installation_status"] = new("d.installation_status"),
            ["deployment_status"] = new("d.deployment_status"),
            ["latest_execution_id"] = new("d.latest_execution_id"),
            ["visibility"] = new("d.visibility"),
            ["created_by"] = new("d.created_by"),
            ["tenant_name"] = new("d.tenant"),
        },
        SearchColumn = "d.id",
        DefaultOrder = "d.created_at ASC, d.id ASC, d.tenant ASC",
    };

    public static FieldMap Nodes { get; } = new()
    {
        Resource = "Node",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("n.id"),
            ["deployment_id"] = new("n.deployment_id"),
            ["blueprint_id"] = new("n.blueprint_id"),
            ["type"] = new("n.type"),
            ["host_id"] = new("n.host_id"),
            ["number_of_instances"] = new("n.number_of_instances", ColumnKind.Integer),
            ["visibility"] = new("n.visibility"),
            ["created_by"] = new("n.created_by"),
            ["tenant_name"] = new("n.tenant"),
        },
        SearchColumn = "n.id",
        DefaultOrder = "n.deployment_id ASC, n.id ASC, n.tenant ASC",
    };

    public static FieldMap NodeInstances { get; } = new()
    {
        Resource = "NodeInstance",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("ni.id"),
            ["deployment_id"] = new("ni.deployment_id"),
            ["node_id"] = new("ni.node_id"),
            ["state"] = new("ni.state"),
            ["host_id"] = new("ni.host_id"),
            ["index"] = new("ni.instance_index", ColumnKind.Integer),
            ["version"] = new("ni.version", ColumnKind.Integer),
            ["visibility"] = new("ni.visibility"),
            ["created_by"] = new("ni.created_by"),
            ["tenant_name"] = new("ni.tenant"),
        },
        SearchColumn = "ni.id",
        DefaultOrder = "ni.deployment_id ASC, ni.node_id ASC, ni.instance_index ASC, ni.id ASC, ni.tenant ASC",
    };

    public static FieldMap DeploymentModifications { get; } = new()
    {
        Resource = "DeploymentModification",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("m.id"),
            ["deployment_id"] = new("m.deployment_id"),
            ["status"] = new("m.status"),
            ["created_at"] = new("m.created_at", ColumnKind.Timestamp),
            ["ended_at"] = new("m.ended_at", ColumnKind.Timestamp),
            ["visibility"] = new("m.visibility"),
            ["created_by"] = new("m.created_by"),
            ["tenant_name"] = new("m.tenant"),
        },
        SearchColumn = "m.id",
        DefaultOrder = "m.created_at ASC, m.id ASC",
    };

    public static FieldMap Executions { get; } = new()
    {
        Resource = "Execution",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("x.id"),
            ["deployment_id"] = new("x.deployment_id"),
            ["blueprint_id"] = new("x.blueprint_id"),
            ["workflow_id"] = new("x.workflow_id"),
            ["status"] = new("x.status"),
            ["created_at"] = new("x.created_at", ColumnKind.Timestamp),
            ["started_at"] = new("x.started_at", ColumnKind.Timestamp),
            ["ended_at"] = new("x.ended_at", ColumnKind.Timestamp),
            ["is_system_workflow"] = new("x.is_system_workflow", ColumnKind.Boolean),
            ["is_dry_run"] = new("x.is_dry_run", ColumnKind.Boolean),
            ["visibility"] = new("x.visibility"),
            ["created_by"] = new("x.created_by"),
            ["tenant_name"] = new("x.tenant"),
        },
        SearchColumn = "x.id",
        DefaultOrder = "x.created_at ASC, x.id ASC",
    };

    public static FieldMap ExecutionSchedules { get; } = new()
    {
        Resource = "ExecutionSchedule",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("s.id"),
            ["deployment_id"] = new("s.deployment_id"),
            ["workflow_id"] = new("s.workflow_id"),
            ["created_at"] = new("s.created_at", ColumnKind.Timestamp),
            ["next_occurrence"] = new("s.next_occurrence", ColumnKind.Timestamp),
            ["since"] = new("s.since", ColumnKind.Timestamp),
            ["until"] = new("s.until", ColumnKind.Timestamp),
            ["slip"] = new("s.slip", ColumnKind.Integer),
            ["enabled"] = new("s.enabled", ColumnKind.Boolean),
            ["stop_on_fail"] = new("s.stop_on_fail", ColumnKind.Boolean),
            ["visibility"] = new("s.visibility"),
            ["created_by"] = new("s.created_by"),
            ["tenant_name"] = new("s.tenant"),
        },
        SearchColumn = "s.id",
        DefaultOrder = "s.created_at ASC, s.deployment_id ASC, s.id ASC, s.tenant ASC",
    };

    public static FieldMap Events { get; } = new()
    {
        Resource = "Event",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["execution_id"] = new("ev.execution_id"),
            ["deployment_id"] = new("ex.deployment_id"),
            ["blueprint_id"] = new("ex.blueprint_id"),
            ["workflow_id"] = new("ex.workflow_id"),
            ["type"] = new("ev.type"),
            ["event_type"] = new("ev.event_type"),
            ["level"] = new("ev.level"),
            ["logger"] = new("ev.logger"),
            ["operation"] = new("ev.operation"),
            ["node_id"] = new("ev.node_name"),
            ["node_name"] = new("ev.node_name"),
            ["node_instance_id"] = new("ev.node_instance_id"),
            ["@timestamp"] = new("ev.timestamp", ColumnKind.Timestamp),
            ["timestamp"] = new("ev.timestamp", ColumnKind.Timestamp),
            ["reported_timestamp"] = new("ev.reported_timestamp", ColumnKind.Timestamp),
            ["_storage_id"] = new("ev.storage_id", ColumnKind.Integer),
            ["visibility"] = new("ev.visibility"),
            ["created_by"] = new("ev.created_by"),
        },
        Ranges = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["@timestamp"] = new("ev.timestamp", ColumnKind.Timestamp),
            ["timestamp"] = new("ev.timestamp", ColumnKind.Timestamp),
            ["reported_timestamp"] = new("ev.reported_timestamp", ColumnKind.Timestamp),
        },
        SearchColumn = "ev.message",
        DefaultOrder = "ev.storage_id ASC",
    };

    public static FieldMap Plugins { get; } = new()
    {
        Resource = "Plugin",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("pl.id"),
            ["package_name"] = new("pl.package_name"),
            ["package_version"] = new("pl.package_version"),
            ["package_source"] = new("pl.package_source"),
            ["archive_name"] = new("pl.archive_name"),
            ["distribution"] = new("pl.distribution"),
            ["distribution_version"] = new("pl.distribution_version"),
            ["distribution_release"] = new("pl.distribution_release"),
            ["title"] = new("pl.title"),
            ["uploaded_at"] = new("pl.uploaded_at", ColumnKind.Timestamp),
            ["visibility"] = new("pl.visibility"),
            ["created_by"] = new("pl.created_by"),
            ["tenant_name"] = new("pl.tenant"),
        },
        SearchColumn = "pl.package_name",
        DefaultOrder = "pl.uploaded_at ASC, pl.id ASC, pl.tenant ASC",
    };

    public static FieldMap Dependencies { get; } = new()
    {
        Resource = "InterDeploymentDependencies",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("idd.id"),
            ["dependency_creator"] = new("idd.dependency_creator"),
            ["source_deployment_id"] = new("idd.source_deployment_id"),
            ["target_deployment_id"] = new("idd.target_deployment_id"),
            ["created_at"] = new("idd.created_at", ColumnKind.Timestamp),
            ["visibility"] = new("idd.visibility"),
            ["created_by"] = new("idd.created_by"),
            ["tenant_name"] = new("idd.tenant"),
        },
        SearchColumn = "idd.id",
        DefaultOrder = "idd.created_at ASC, idd.id ASC",
    };

    public static FieldMap DeploymentGroups { get; } = new()
    {
        Resource = "DeploymentGroup",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("g.id"),
            ["description"] = new("g.description"),
            ["default_blueprint_id"] = new("g.default_blueprint_id"),
            ["created_at"] = new("g.created_at", ColumnKind.Timestamp),
            ["visibility"] = new("g.visibility"),
            ["created_by"] = new("g.created_by"),
            ["tenant_name"] = new("g.tenant"),
        },
        SearchColumn = "g.id",
        DefaultOrder = "g.created_at ASC, g.id ASC, g.tenant ASC",
    };

    public static FieldMap Agents { get; } = new()
    {
        Resource = "Agent",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["id"] = new("a.id"),
            ["name"] = new("a.id"),
            ["state"] = new("a.state"),
            ["install_method"] = new("a.install_method"),
            ["install_methods"] = new("a.install_method"),
            ["deployment_id"] = new("a.deployment_id"),
            ["deployment"] = new("a.deployment_id"),
            ["node_id"] = new("a.node_id"),
            ["node_ids"] = new("a.node_id"),
            ["node"] = new("a.node_id"),
            ["node_instance_id"] = new("a.node_instance_id"),
            ["node_instance_ids"] = new("a.node_instance_id"),
            ["host_id"] = new("a.node_instance_id"),
            ["ip"] = new("a.ip"),
            ["system"] = new("a.system"),
            ["version"] = new("a.version"),
            ["visibility"] = new("a.visibility"),
            ["created_by"] = new("a.created_by"),
            ["created_at"] = new("a.created_at", ColumnKind.Timestamp),
            ["last_heartbeat"] = new("a.last_heartbeat", ColumnKind.Timestamp),
            ["tenant_name"] = new("a.tenant"),
        },
        SearchColumn = "a.id",
        DefaultOrder = "a.id ASC",
    };

    public static FieldMap Secrets { get; } = new()
    {
        Resource = "Secret",
        Fields = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["key"] = new("s.id"),
            ["created_at"] = new("s.created_at", ColumnKind.Timestamp),
            ["updated_at"] = new("s.updated_at", ColumnKind.Timestamp),
            ["visibility"] = new("s.visibility"),
            ["is_hidden_value"] = new("s.is_hidden_value", ColumnKind.Boolean),
            ["created_by"] = new("s.created_by"),
            ["tenant_name"] = new("s.tenant"),
        },
        SearchColumn = "s.id",
        DefaultOrder = "s.created_at ASC, s.id ASC, s.tenant ASC",
    };
}
