using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Storage;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's heal (<c>auto_heal_reinstall_node_subgraph</c>). The target set is the contained subgraph of the failing
/// instance's host (or of the instance when it has none); deployment-wide without an instance. Optionally a
/// check_status first (failures ignored); then unhealthy instances that implement <c>lifecycle.heal</c> are healed and
/// the others (with everything contained in them), and those whose heal failed, are reinstalled. A targeted heal takes
/// instances as unhealthy unless a check proved them healthy; a deployment-wide heal as healthy unless proven not.
/// </summary>
internal static class HealWorkflow
{
    public static async Task<GraphOutcome> RunAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        var p = run.Parameters;
        var instanceId = GraphTask.Text(p, "node_instance_id") is { Length: > 0 } id ? id : null;
        var diagnose = p["diagnose_value"]?.ToString() ?? "Not provided";
        var ignoreFailure = InstanceFilter.Flag(p, "ignore_failure") ?? true;
        var model = await run.LoadModelAsync(cancellationToken);
        HashSet<string> targets;
        if (instanceId is not null)
        {
            await run.Events.AddAsync(run.EventFactory.Log("info", $"Starting 'heal' workflow on {instanceId}, Diagnosis: {diagnose}"), cancellationToken);
            if (!model.InstancesById.TryGetValue(instanceId, out var failing))
            {
                return new GraphOutcome(ExecutionStatus.Failed, $"No node instance with id `{instanceId}` was found");
            }

            targets = ContainedSubgraph(model, HostOf(model, failing) ?? failing);
        }
        else
        {
            await run.Events.AddAsync(
                run.EventFactory.Log("info", $"Starting 'heal' workflow for '{run.Identity.DeploymentId}' deployment, Diagnosis: {diagnose}"), cancellationToken);
            targets = [.. model.Instances.SelectMany(i => ContainedSubgraph(model, HostOf(model, i) ?? i))];
        }

        if (InstanceFilter.Flag(p, "force_reinstall") == true)
        {
            return await BuiltInWorkflows.ReinstallAsync(run, targets, ignoreFailure, cancellationToken);
        }

        if (InstanceFilter.Flag(p, "check_status") ?? true)
        {
            var checkedStatus = await run.RunGraphAsync(
                "check_status",
                (b, f, m) => CheckGraph.Status(b, f, m, BuiltInWorkflows.Pick(m, targets), byOrder: false, ignoreFailure: true),
                cancellationToken: cancellationToken);
            if (checkedStatus.Status == ExecutionStatus.Cancelled)
            {
                return checkedStatus;
            }

            model = await run.LoadModelAsync(cancellationToken);
        }

        var allowReinstall = InstanceFilter.Flag(p, "allow_reinstall") ?? true;
        var healthy = targets.Where(t => IsHealthy(model.InstancesById[t], requireTask: instanceId is not null)).ToHashSet(StringComparer.Ordinal);
        var (toHeal, toReinstall) = Sort(model, targets, healthy);
        if (toReinstall.Count > 0 && !allowReinstall)
        {
            return Disallowed(model, toReinstall);
        }

        var healed = await run.RunGraphAsync(
            "heal", (b, f, m) => LifecycleGraph.Heal(b, f, m, BuiltInWorkflows.Pick(m, toHeal)), cancellationToken: cancellationToken);
        if (healed.Status == ExecutionStatus.Cancelled)
        {
            return healed;
        }

        if (healed.Status == ExecutionStatus.Failed)
        {
            await run.Events.AddAsync(run.EventFactory.Log("error", $"Error running heal: {healed.Error}"), cancellationToken);
        }

        model = await run.LoadModelAsync(cancellationToken);
        foreach (var failed in toHeal.Select(h => model.InstancesById[h]).Where(i => HealFailedIn(i, run.Identity.ExecutionId)))
        {
            var props = (JsonObject)failed.SystemProperties!.DeepClone();
            props.Remove("heal_failed");
            await run.Store.UpdateNodeInstanceAsync(
                run.Identity.TenantName, failed.Id, new NodeInstanceUpdate { SystemProperties = props }, expectedVersion: null, cancellationToken);
            toReinstall.Add(failed.Id);
        }

        if (toReinstall.Count > 0 && !allowReinstall)
        {
            return Disallowed(model, toReinstall);
        }

        return toReinstall.Count > 0
            ? await BuiltInWorkflows.ReinstallAsync(run, toReinstall, ignoreFailure, cancellationToken)
            : new GraphOutcome(ExecutionStatus.Terminated);
    }

    /// <summary>Cloudify's <c>_find_instances_to_heal</c>.</summary>
    private static (HashSet<string> ToHeal, HashSet<string> ToReinstall) Sort(DeploymentModel model, HashSet<string> targets, HashSet<string> healthy)
    {
        var toHeal = new HashSet<string>(StringComparer.Ordinal);
        var toReinstall = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in model.Instances.Select(i => i.Id).Where(targets.Contains))
        {
            if (healthy.Contains(id) || toReinstall.Contains(id))
            {
                continue;
            }

            var instance = model.InstancesById[id];
            if (OperationTaskFactory.HasOperation(model.NodeOf(instance).Operations, HealSubgraph.Heal))
            {
                toHeal.Add(id);
            }
            else
            {
                var contained = ContainedSubgraph(model, instance);
                toReinstall.UnionWith(contained);
                toHeal.ExceptWith(contained);
            }
        }

        return (toHeal, toReinstall);
    }

    /// <summary>Cloudify's <c>_find_healthy_instances</c>: status ok, or no check ran and none is required.</summary>
    private static bool IsHealthy(NodeInstance instance, bool requireTask)
    {
        var status = instance.SystemProperties?["status"] as JsonObject;
        var ok = status?["ok"] is JsonValue v && v.TryGetValue(out bool b) && b;
        var task = status is not null && status.TryGetPropertyValue("task", out var t) ? t : null;
        return ok || (task is null && !requireTask);
    }

    private static bool HealFailedIn(NodeInstance instance, string executionId) =>
        GraphTask.Text(instance.SystemProperties, "heal_failed") == executionId;

    private static GraphOutcome Disallowed(DeploymentModel model, HashSet<string> toReinstall)
    {
        var ids = model.Instances.Select(i => i.Id).Where(toReinstall.Contains).ToList();
        var names = ids.Count > 5 ? string.Join(", ", ids.Take(5)) + $" (and {ids.Count - 5} more)" : string.Join(", ", ids);
        return new GraphOutcome(ExecutionStatus.Failed, "allow_reinstall is false, but would need to reinstall instances: " + names);
    }

    private static NodeInstance? HostOf(DeploymentModel model, NodeInstance instance) =>
        instance.HostId is { } host && model.InstancesById.TryGetValue(host, out var found) ? found : null;

    /// <summary>The instance and every instance contained in it, directly or transitively.</summary>
    internal static HashSet<string> ContainedSubgraph(DeploymentModel model, NodeInstance root)
    {
        var result = new HashSet<string>(StringComparer.Ordinal) { root.Id };
        var stack = new Stack<string>();
        stack.Push(root.Id);
        while (stack.Count > 0)
        {
            var parent = stack.Pop();
            foreach (var child in model.Instances.Where(i => IsContainedIn(model, i, parent) && result.Add(i.Id)))
            {
                stack.Push(child.Id);
            }
        }

        return result;
    }

    private static bool IsContainedIn(DeploymentModel model, NodeInstance instance, string parentId)
    {
        var node = model.NodeOf(instance);
        foreach (var rel in instance.Relationships.OfType<JsonObject>())
        {
            if (GraphTask.Text(rel, "target_id") != parentId || !model.InstancesById.TryGetValue(parentId, out var parent))
            {
                continue;
            }

            var nodeRel = RelationshipSubgraph.FindNodeRelationship(node, GraphTask.Text(rel, "target_name") ?? parent.NodeId, GraphTask.Text(rel, "type"));
            var hierarchy = nodeRel?["type_hierarchy"] as JsonArray;
            if (hierarchy?.Any(t => t?.ToString() == "cloudify.relationships.contained_in") == true
                || GraphTask.Text(rel, "type") == "cloudify.relationships.contained_in")
            {
                return true;
            }
        }

        return false;
    }
}
