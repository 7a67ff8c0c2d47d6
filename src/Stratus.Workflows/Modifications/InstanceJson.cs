using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Model;

namespace Stratus.Workflows.Modifications;

/// <summary>
/// A node instance as a deployment modification keeps it (Cloudify's <c>NodeInstance.to_dict()</c> in
/// <c>before_modification</c> and <c>before_rollback</c>), and back, so a rollback can put it back as it was.
/// </summary>
internal static class InstanceJson
{
    public static JsonObject Write(NodeInstance i)
    {
        var json = new JsonObject
        {
            ["id"] = i.Id,
            ["node_id"] = i.NodeId,
            ["deployment_id"] = i.DeploymentId,
        };
        if (i.HostId is not null)
        {
            json["host_id"] = i.HostId;
        }

        json["index"] = i.Index;
        json["relationships"] = i.Relationships.DeepClone();
        json["runtime_properties"] = i.RuntimeProperties.DeepClone();
        json["system_properties"] = i.SystemProperties?.DeepClone();
        json["scaling_groups"] = i.ScalingGroups.DeepClone();
        json["state"] = i.State;
        json["version"] = i.Version;
        json["visibility"] = i.Visibility;
        json["created_by"] = i.CreatedBy;
        json["tenant_name"] = i.TenantName;
        return json;
    }

    public static NodeInstance Read(JsonObject json, Deployment deployment) => new()
    {
        Id = Text(json, "id") ?? throw new InvalidOperationException("A stored node instance has no id."),
        NodeId = Text(json, "node_id") ?? throw new InvalidOperationException("A stored node instance has no node_id."),
        DeploymentId = deployment.Id,
        TenantName = deployment.TenantName,
        CreatedBy = Text(json, "created_by") ?? deployment.CreatedBy,
        Visibility = Text(json, "visibility") ?? deployment.Visibility,
        HostId = Text(json, "host_id"),
        Index = json["index"] is JsonValue v && v.TryGetValue<int>(out var index) ? index : 1,
        Relationships = json["relationships"]?.DeepClone() as JsonArray ?? [],
        RuntimeProperties = json["runtime_properties"]?.DeepClone() as JsonObject ?? [],
        SystemProperties = json["system_properties"]?.DeepClone() as JsonObject,
        ScalingGroups = json["scaling_groups"]?.DeepClone() as JsonArray ?? [],
        State = Text(json, "state") ?? NodeInstanceState.Uninitialized,
    };

    /// <summary>A stored node as the DSL's expansion reads a plan node (current count in the scalable capability).</summary>
    public static JsonObject PlanNode(Node n)
    {
        var json = new JsonObject
        {
            ["id"] = n.Id,
            ["relationships"] = n.Relationships.DeepClone(),
            ["capabilities"] = new JsonObject
            {
                ["scalable"] = new JsonObject { ["properties"] = new JsonObject { ["current_instances"] = n.NumberOfInstances } },
            },
        };
        if (n.HostId is not null)
        {
            json["host_id"] = n.HostId;
        }

        return json;
    }

    public static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
