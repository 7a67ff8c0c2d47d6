using System.Text.Json.Nodes;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

/// <summary>Builders of valid model rows with just the fields a test cares about.</summary>
internal static class Make
{
    public const string Tenant = "default_tenant";

    public static Blueprint Blueprint(string id, DateTimeOffset at, string tenant = Tenant) => new()
    {
        Id = id,
        TenantName = tenant,
        CreatedBy = "admin",
        CreatedAt = at,
        UpdatedAt = at,
        MainFileName = "blueprint.yaml",
        Plan = new JsonObject { ["nodes"] = new JsonArray(), ["description"] = "d", ["inputs"] = new JsonObject() },
        Description = "a blueprint",
    };

    public static Deployment Deployment(string id, string blueprintId, DateTimeOffset at, string tenant = Tenant) => new()
    {
        Id = id,
        TenantName = tenant,
        CreatedBy = "admin",
        CreatedAt = at,
        UpdatedAt = at,
        BlueprintId = blueprintId,
        DisplayName = id,
        Inputs = new JsonObject { ["zeta"] = 1, ["alpha"] = "two" },
        Workflows = new JsonObject { ["install"] = new JsonObject { ["operation"] = "cloudify.plugins.workflows.install" } },
    };

    public static Node Node(string id, string deploymentId, string blueprintId, string tenant = Tenant) => new()
    {
        Id = id,
        DeploymentId = deploymentId,
        BlueprintId = blueprintId,
        TenantName = tenant,
        CreatedBy = "admin",
        Type = "cloudify.nodes.Root",
        TypeHierarchy = ["cloudify.nodes.Root"],
        Properties = new JsonObject { ["port"] = 8080 },
        Relationships = [new JsonObject { ["type"] = "cloudify.relationships.contained_in", ["target_id"] = "host" }],
    };

    public static NodeInstance Instance(string id, string nodeId, string deploymentId, int index = 1, string tenant = Tenant) => new()
    {
        Id = id,
        NodeId = nodeId,
        DeploymentId = deploymentId,
        TenantName = tenant,
        CreatedBy = "admin",
        Index = index,
        RuntimeProperties = new JsonObject { ["ip"] = "10.0.0.1" },
    };

    public static Execution Execution(
        string id,
        string? deploymentId,
        DateTimeOffset at,
        string status = ExecutionStatus.Pending,
        string workflowId = "install",
        string tenant = Tenant) => new()
    {
        Id = id,
        TenantName = tenant,
        CreatedBy = "admin",
        WorkflowId = workflowId,
        DeploymentId = deploymentId,
        BlueprintId = deploymentId is null ? null : "bp",
        Status = status,
        CreatedAt = at,
        Parameters = new JsonObject { ["b"] = 1, ["a"] = 2 },
    };

    public static StoredEvent Event(string executionId, DateTimeOffset at, string message, string type = "cloudify_event", string tenant = Tenant) => new()
    {
        Type = type,
        Timestamp = at,
        ReportedTimestamp = at,
        ExecutionId = executionId,
        TenantName = tenant,
        EventType = type == "cloudify_event" ? "workflow_started" : null,
        Level = type == "cloudify_log" ? "info" : null,
        Logger = type == "cloudify_log" ? "ctx" : null,
        Message = message,
        NodeInstanceId = "vm_1",
        NodeName = "vm",
    };

    public static TaskGraph Graph(string id, string executionId, DateTimeOffset at) => new()
    {
        Id = id,
        ExecutionId = executionId,
        TenantName = Tenant,
        Name = "install",
        CreatedAt = at,
    };

    public static OperationRecord Operation(string id, string graphId, DateTimeOffset at, params string[] dependencies) => new()
    {
        Id = id,
        GraphId = graphId,
        TenantName = Tenant,
        Name = "op-" + id,
        Type = "RemoteWorkflowTask",
        Dependencies = dependencies,
        Parameters = new JsonObject { ["task_kwargs"] = new JsonObject { ["x"] = 1 } },
        CreatedAt = at,
    };

    public static Plugin Plugin(string id, string packageName, string version, DateTimeOffset at, string tenant = Tenant) => new()
    {
        Id = id,
        TenantName = tenant,
        CreatedBy = "admin",
        UploadedAt = at,
        PackageName = packageName,
        PackageVersion = version,
        ArchiveName = $"{packageName}-{version}.wgn",
        Distribution = "rhel",
        DistributionRelease = "ootpa",
        DistributionVersion = "8.8",
        SupportedPlatform = "manylinux",
        SupportedPyVersions = new JsonArray("py311"),
        Wheels = new JsonArray($"{packageName}-{version}-py3-none-any.whl"),
        YamlFiles = ["plugin.yaml", "plugin_1_4.yaml"],
    };

    public static Secret Secret(string key, DateTimeOffset at, string tenant = Tenant, string visibility = Visibility.Tenant) => new()
    {
        Key = key,
        TenantName = tenant,
        CreatedBy = "admin",
        Visibility = visibility,
        CreatedAt = at,
        UpdatedAt = at,
        EncryptedValue = "v1:opaque-" + key,
    };

    public static ListQuery Query(params (string Field, string[] Values)[] filters) => new()
    {
        Filters = filters.ToDictionary(f => f.Field, f => (IReadOnlyList<string>)f.Values),
    };
}
