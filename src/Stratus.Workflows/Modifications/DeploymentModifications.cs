using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Storage;

namespace Stratus.Workflows.Modifications;

/// <summary>
/// Cloudify's deployment modifications (<c>resource_manager.start/finish/rollback_deployment_modification</c>), shared
/// by the REST endpoints and the scale workflow. Each step reads the deployment, computes its changes with the DSL's
/// expansion and writes them in one store transaction (see <see cref="IStratusStore.InsertDeploymentModificationAsync"/>
/// and <see cref="IStratusStore.EndDeploymentModificationAsync"/>).
/// </summary>
public sealed class DeploymentModifications(IStratusStore store, TimeProvider timeProvider)
{
    private const string Added = "added";
    private const string Removed = "removed";

    /// <summary>Starts a modification of <paramref name="deployment"/> (already resolved for the caller's tenant).</summary>
    public async Task<DeploymentModification> StartAsync(
        Deployment deployment, JsonObject modifiedNodes, JsonObject context, string createdBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(modifiedNodes);
        ArgumentNullException.ThrowIfNull(context);
        var query = new ListQuery { GetAll = true, Filters = new Dictionary<string, IReadOnlyList<string>> { ["deployment_id"] = [deployment.Id] } };
        var nodes = (await store.ListNodesAsync(deployment.TenantName, query, cancellationToken)).Items;
        var instances = (await store.ListNodeInstancesAsync(deployment.TenantName, query, cancellationToken)).Items;
        var before = instances.Select(InstanceJson.Write).ToList();
        DeploymentModificationPlan plan;
        try
        {
            plan = DeploymentModifier.Modify(
                new JsonArray([.. nodes.Select(InstanceJson.PlanNode)]), (JsonObject)deployment.ScalingGroups.DeepClone(), before, modifiedNodes);
        }
        catch (DeploymentPlanException ex)
        {
            // A bad request names its culprit; anything else means the stored instances do not fit the plan.
            var bad = ex.ErrorCode == ErrorCodes.BadParameters;
            throw new StratusException(bad ? ErrorCodes.BadParameters : ErrorCodes.InternalServerError, bad ? 400 : 500, ex.Message, ex);
        }

        var modification = new DeploymentModification
        {
            Id = Guid.NewGuid().ToString(),
            TenantName = deployment.TenantName,
            DeploymentId = deployment.Id,
            CreatedBy = createdBy,
            Visibility = deployment.Visibility,
            CreatedAt = timeProvider.GetUtcNow(),
            ModifiedNodes = (JsonObject)modifiedNodes.DeepClone(),
            Context = (JsonObject)context.DeepClone(),
            NodeInstances = new JsonObject
            {
                ["added_and_related"] = plan.AddedAndRelated,
                ["extended_and_related"] = plan.ExtendedAndRelated,
                ["reduced_and_related"] = plan.ReducedAndRelated,
                ["removed_and_related"] = plan.RemovedAndRelated,
                ["before_modification"] = new JsonArray([.. before]),
            },
        };

        var groups = (JsonObject)deployment.ScalingGroups.DeepClone();
        var planned = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, spec) in modifiedNodes)
        {
            var count = Count(spec?["instances"]);
            if (groups[name]?["properties"] is JsonObject properties)
            {
                properties["planned_instances"] = count;
            }
            else
            {
                planned[name] = count;
            }
        }

        var nodesById = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var currentById = instances.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var next = instances.GroupBy(i => i.NodeId).ToDictionary(g => g.Key, g => g.Max(i => i.Index), StringComparer.Ordinal);
        var added = new List<NodeInstance>();
        var relationships = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var item in plan.AddedAndRelated.OfType<JsonObject>())
        {
            var id = InstanceJson.Text(item, "id")!;
            if (InstanceJson.Text(item, "modification") == Added)
            {
                var nodeId = InstanceJson.Text(item, "node_id")!;
                next[nodeId] = next.GetValueOrDefault(nodeId) + 1;
                added.Add(new NodeInstance
                {
                    Id = id,
                    NodeId = nodeId,
                    DeploymentId = deployment.Id,
                    TenantName = deployment.TenantName,
                    CreatedBy = createdBy,
                    Visibility = deployment.Visibility,
                    HostId = InstanceJson.Text(item, "host_id"),
                    Index = next[nodeId],
                    Relationships = item["relationships"]?.DeepClone() as JsonArray ?? [],
                    ScalingGroups = item["scaling_groups"]?.DeepClone() as JsonArray ?? [],
                    State = NodeInstanceState.Uninitialized,
                });
            }
            else if (item["relationships"] is JsonArray { Count: > 0 } gained && currentById.TryGetValue(id, out var current))
            {
                relationships[id] = Merge(nodesById[current.NodeId], current.Relationships, gained);
            }
        }

        await store.InsertDeploymentModificationAsync(
            new DeploymentModificationStart
            {
                Modification = modification,
                ExpectedInstanceIds = currentById.Keys.ToHashSet(StringComparer.Ordinal),
                AddedInstances = added,
                Relationships = relationships,
                PlannedNodeInstances = planned,
                ScalingGroups = modifiedNodes.Any(m => deployment.ScalingGroups.ContainsKey(m.Key)) ? groups : null,
            },
            cancellationToken);
        return modification;
    }

    /// <summary>Finishes it: removed instances are deleted, the related lose their relationships to them, counts become current.</summary>
    public async Task<DeploymentModification> FinishAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        var (modification, deployment) = await LoadStartedAsync(tenantName, id, "finish", cancellationToken);
        var groups = (JsonObject)deployment.ScalingGroups.DeepClone();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, spec) in modification.ModifiedNodes)
        {
            var count = Count(spec?["instances"]);
            if (groups[name]?["properties"] is JsonObject properties)
            {
                properties["current_instances"] = count;
            }
            else
            {
                counts[name] = count;
            }
        }

        var delete = new List<string>();
        var unlink = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var item in (modification.NodeInstances["removed_and_related"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var instanceId = InstanceJson.Text(item, "id")!;
            if (InstanceJson.Text(item, "modification") == Removed)
            {
                delete.Add(instanceId);
            }
            else if (item["relationships"] is JsonArray { Count: > 0 } rels)
            {
                unlink[instanceId] = rels.OfType<JsonObject>().Select(r => InstanceJson.Text(r, "target_id")).OfType<string>().ToHashSet(StringComparer.Ordinal);
            }
        }

        return await store.EndDeploymentModificationAsync(
            new DeploymentModificationEnd
            {
                TenantName = tenantName,
                Id = id,
                Status = DeploymentModificationStatus.Finished,
                EndedAt = timeProvider.GetUtcNow(),
                DeleteInstanceIds = delete,
                RemoveRelationshipsTo = unlink,
                NodeInstanceCounts = counts,
                ScalingGroups = modification.ModifiedNodes.Any(m => deployment.ScalingGroups.ContainsKey(m.Key)) ? groups : null,
            },
            cancellationToken);
    }

    /// <summary>Rolls it back: the instances become what they were before it started (kept in <c>before_rollback</c>), counts as before.</summary>
    public async Task<DeploymentModification> RollbackAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        var (modification, deployment) = await LoadStartedAsync(tenantName, id, "rollback", cancellationToken);
        var query = new ListQuery { GetAll = true, Filters = new Dictionary<string, IReadOnlyList<string>> { ["deployment_id"] = [deployment.Id] } };
        var current = (await store.ListNodeInstancesAsync(tenantName, query, cancellationToken)).Items;
        var before = (modification.NodeInstances["before_modification"] as JsonArray ?? []).OfType<JsonObject>().Select(j => InstanceJson.Read(j, deployment)).ToList();
        var beforeIds = before.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        var nodeInstances = (JsonObject)modification.NodeInstances.DeepClone();
        nodeInstances["before_rollback"] = new JsonArray([.. current.Select(InstanceJson.Write)]);
        var groups = (JsonObject)deployment.ScalingGroups.DeepClone();
        var reset = new List<string>();
        foreach (var (name, _) in modification.ModifiedNodes)
        {
            if (groups[name]?["properties"] is JsonObject properties)
            {
                properties["planned_instances"] = properties["current_instances"]?.DeepClone();
            }
            else
            {
                reset.Add(name);
            }
        }

        return await store.EndDeploymentModificationAsync(
            new DeploymentModificationEnd
            {
                TenantName = tenantName,
                Id = id,
                Status = DeploymentModificationStatus.RolledBack,
                EndedAt = timeProvider.GetUtcNow(),
                NodeInstances = nodeInstances,
                DeleteInstanceIds = [.. current.Where(i => !beforeIds.Contains(i.Id)).Select(i => i.Id)],
                RestoreInstances = before,
                ResetPlannedNodes = reset,
                ScalingGroups = modification.ModifiedNodes.Any(m => deployment.ScalingGroups.ContainsKey(m.Key)) ? groups : null,
            },
            cancellationToken);
    }

    private async Task<(DeploymentModification, Deployment)> LoadStartedAsync(string tenantName, string id, string verb, CancellationToken cancellationToken)
    {
        var modification = await store.GetDeploymentModificationAsync(tenantName, id, cancellationToken)
            ?? throw StratusException.NotFound($"Requested `DeploymentModification` with ID `{id}` was not found");
        if (modification.Status != DeploymentModificationStatus.Started)
        {
            throw new StratusException(
                ErrorCodes.DeploymentModificationAlreadyEnded, 400, $"Cannot {verb} deployment modification: {id}. It is already in {modification.Status} status.");
        }

        var deployment = await store.GetDeploymentAsync(tenantName, modification.DeploymentId, cancellationToken)
            ?? throw StratusException.NotFound($"Requested `Deployment` with ID `{modification.DeploymentId}` was not found");
        return (modification, deployment);
    }

    /// <summary>An instance count however the number was built (parsed JSON, int or long); the DSL checked it is one.</summary>
    internal static int Count(JsonNode? node) =>
        int.TryParse(node?.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>Cloudify's order: per target node in the node's relationship order, the existing relationships then the new ones.</summary>
    private static JsonArray Merge(Node node, JsonArray current, JsonArray gained)
    {
        var result = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in node.Relationships.OfType<JsonObject>().Select(r => InstanceJson.Text(r, "target_id")).OfType<string>())
        {
            if (!seen.Add(target))
            {
                continue;
            }

            foreach (var rel in current.Concat(gained).OfType<JsonObject>().Where(r => InstanceJson.Text(r, "target_name") == target))
            {
                result.Add(rel.DeepClone());
            }
        }

        return result;
    }
}
