using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Dsl;

namespace Stratus.Server.Deployments;

/// <summary>Turns a deployment plan's nodes and node instances into the model rows the store inserts.</summary>
internal static class DeploymentPlanMapper
{
    public static List<Node> Nodes(DeploymentPlan plan, Deployment deployment)
    {
        var nodes = new List<Node>();
        foreach (var item in plan.Nodes.OfType<JsonObject>())
        {
            var scalable = item["capabilities"]?["scalable"]?["properties"] as JsonObject;
            var count = Int(item, "number_of_instances") ?? Int(scalable, "current_instances") ?? Int(scalable, "default_instances") ?? 1;
            nodes.Add(new Node
            {
                Id = Str(item, "id") ?? Str(item, "name") ?? throw new DeploymentPlanException("A plan node has no id"),
                DeploymentId = deployment.Id,
                BlueprintId = deployment.BlueprintId,
                TenantName = deployment.TenantName,
                CreatedBy = deployment.CreatedBy,
                Visibility = deployment.Visibility,
                Type = Str(item, "type") ?? "",
                TypeHierarchy = item["type_hierarchy"] is JsonArray th ? [.. th.Select(t => t?.GetValue<string>() ?? "")] : [],
                Properties = Obj(item, "properties"),
                Operations = Obj(item, "operations"),
                Relationships = Arr(item, "relationships"),
                Plugins = Arr(item, "plugins"),
                PluginsToInstall = Arr(item, "plugins_to_install"),
                HostId = Str(item, "host_id"),
                NumberOfInstances = count,
                PlannedNumberOfInstances = Int(item, "planned_number_of_instances") ?? Int(scalable, "planned_instances") ?? count,
                DeployNumberOfInstances = Int(item, "deploy_number_of_instances") ?? Int(scalable, "default_instances") ?? count,
                MinNumberOfInstances = Int(item, "min_number_of_instances") ?? Int(scalable, "min_instances") ?? 0,
                MaxNumberOfInstances = Int(item, "max_number_of_instances") ?? Int(scalable, "max_instances") ?? -1,
            });
        }

        return nodes;
    }

    public static List<NodeInstance> Instances(DeploymentPlan plan, Deployment deployment)
    {
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var instances = new List<NodeInstance>();
        foreach (var item in plan.NodeInstances.OfType<JsonObject>())
        {
            var nodeId = Str(item, "node_id") ?? throw new DeploymentPlanException("A plan node instance has no node_id");
            indexes[nodeId] = indexes.GetValueOrDefault(nodeId) + 1;
            instances.Add(new NodeInstance
            {
                Id = Str(item, "id") ?? throw new DeploymentPlanException("A plan node instance has no id"),
                NodeId = nodeId,
                DeploymentId = deployment.Id,
                TenantName = deployment.TenantName,
                CreatedBy = deployment.CreatedBy,
                Visibility = deployment.Visibility,
                HostId = Str(item, "host_id"),
                Index = indexes[nodeId],
                Relationships = Arr(item, "relationships"),
                ScalingGroups = Arr(item, "scaling_groups"),
                State = NodeInstanceState.Uninitialized,
                Version = 1,
            });
        }

        return instances;
    }

    private static string? Str(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    // Not cloned: the plan was prepared for this one request and the rows only serialize these values.
    private static JsonObject Obj(JsonObject o, string name) => o[name] as JsonObject ?? [];

    private static JsonArray Arr(JsonObject o, string name) => o[name] as JsonArray ?? [];
}
