using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Storage;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Modifications;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's <c>scale_entity</c>: checks the parameters, starts a deployment modification of the node or scaling
/// group (a node's host with <c>scale_compute</c>), then installs the added instances (intact related instances get
/// their establish operations) or uninstalls the removed ones (unlink on the intact side), and finishes the
/// modification. A failed scale-out with <c>rollback_if_failed</c> rolls the added instances back and the modification
/// with them; <c>abort_started</c> first uninstalls and rolls back modifications left started by others. The
/// modification carries this execution's id in its context, so a resumed run continues it instead of starting another.
/// </summary>
internal static class ScaleWorkflow
{
    private const string AddedTag = "added";
    private const string RemovedTag = "removed";

    public static async Task<GraphOutcome> RunAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        var (p, error) = ScaleParameters.Read(run.Parameters);
        if (p is null)
        {
            return Failed(error!);
        }

        if (p.Delta == 0)
        {
            await LogAsync(run, "info", "delta parameter is 0, so no scaling will take place.", cancellationToken);
            return new GraphOutcome(ExecutionStatus.Terminated);
        }

        if (p.Delta > 0 && (p.Include.Count > 0 || p.Exclude.Count > 0))
        {
            return Failed("Instances cannot be included or excluded when scaling up.");
        }

        var identity = run.Identity;
        var deployment = await run.Store.GetDeploymentAsync(identity.TenantName, identity.DeploymentId!, cancellationToken)
            ?? throw new InvalidOperationException($"Deployment {identity.DeploymentId} is gone.");
        var model = await run.LoadModelAsync(cancellationToken);
        string scaleId;
        long current;
        string? invalid;
        if (deployment.ScalingGroups[p.Entity] is JsonObject group)
        {
            var members = GroupMembers(model);
            var available = members.Keys.Concat(members.Values.SelectMany(m => m)).ToHashSet(StringComparer.Ordinal);
            invalid = ScaleChecks.Check(p.Include, p.Exclude, available, p.Delta, p.ScaleCompute, members);
            current = DeploymentModifications.Count(group["properties"]?["current_instances"]);
            scaleId = p.Entity;
        }
        else if (model.Nodes.TryGetValue(p.Entity, out var node))
        {
            var available = model.Instances.Where(i => i.NodeId == node.Id).Select(i => i.Id).ToList();
            invalid = ScaleChecks.Check(p.Include, p.Exclude, available, p.Delta, p.ScaleCompute, new Dictionary<string, List<string>>());
            var scaled = p.ScaleCompute && node.HostId is { } host && model.Nodes.TryGetValue(host, out var hostNode) ? hostNode : node;
            current = scaled.NumberOfInstances;
            scaleId = scaled.Id;
        }
        else
        {
            return Failed($"No scalable entity named {p.Entity} was found");
        }

        if (invalid is not null)
        {
            return Failed(invalid);
        }

        var planned = current + p.Delta;
        if (planned < 0)
        {
            return Failed($"Provided delta: {p.Delta} is illegal. current number of instances of entity {p.Entity} is {current}");
        }

        var modifications = new DeploymentModifications(run.Store, run.Time);
        if (p.AbortStarted && await AbortStartedAsync(run, modifications, p.IgnoreFailure, cancellationToken) is { } aborted)
        {
            return aborted;
        }

        var modification = await MineAsync(run, cancellationToken);
        if (modification?.Status == DeploymentModificationStatus.Finished)
        {
            return new GraphOutcome(ExecutionStatus.Terminated);
        }

        if (modification?.Status == DeploymentModificationStatus.RolledBack)
        {
            return Failed($"Deployment modification {modification.Id} of this execution was rolled back");
        }

        // Checkpoint: the modification row carries this execution's id; a run resumed after this line finds it
        // (MineAsync) instead of starting a second one.
        modification ??= await modifications.StartAsync(
            deployment,
            new JsonObject
            {
                [scaleId] = new JsonObject
                {
                    ["instances"] = planned,
                    ["removed_ids_exclude_hint"] = new JsonArray([.. p.Exclude.Select(x => (JsonNode)x)]),
                    ["removed_ids_include_hint"] = new JsonArray([.. p.Include.Select(x => (JsonNode)x)]),
                },
            },
            new JsonObject
            {
                ["blueprint_id"] = identity.BlueprintId,
                ["deployment_id"] = identity.DeploymentId,
                ["execution_id"] = identity.ExecutionId,
                ["workflow_id"] = identity.WorkflowId,
            },
            identity.CreatorUsername ?? deployment.CreatedBy,
            cancellationToken);
        await LogAsync(run, "info", $"Deployment modification started. [modification_id={modification.Id}]", cancellationToken);
        var prefix = p.Entity + "_";
        GraphOutcome outcome;
        if (p.Delta > 0)
        {
            var added = Tagged(modification, "added_and_related", AddedTag);
            outcome = await run.RunGraphAsync(
                prefix + "install", (b, f, m) => LifecycleGraph.Install(b, f, m, BuiltInWorkflows.Pick(m, added)), cancellationToken: cancellationToken);
            if (outcome.Status == ExecutionStatus.Failed)
            {
                if (!p.RollbackIfFailed)
                {
                    await LogAsync(run, "error", "Scale out failed.", cancellationToken);
                    return outcome;
                }

                await LogAsync(run, "error", "Scale out failed, scaling back in.", cancellationToken);
                var rolledBack = await run.RunGraphAsync(
                    prefix + "rollback", (b, f, m) => LifecycleGraph.Rollback(b, f, m, BuiltInWorkflows.Pick(m, added)), cancellationToken: cancellationToken);
                if (rolledBack.Status == ExecutionStatus.Cancelled)
                {
                    return rolledBack;
                }
            }
        }
        else
        {
            var removed = Tagged(modification, "removed_and_related", RemovedTag);
            outcome = await run.RunGraphAsync(
                prefix + "uninstall",
                (b, f, m) => LifecycleGraph.Uninstall(b, f, m, BuiltInWorkflows.Pick(m, removed), p.IgnoreFailure),
                cancellationToken: cancellationToken);
        }

        // A cancelled run leaves the modification started: a resume continues it, a later scale with abort_started drops it.
        if (outcome.Status == ExecutionStatus.Cancelled)
        {
            return outcome;
        }

        if (outcome.Status == ExecutionStatus.Failed)
        {
            if (p.RollbackIfFailed)
            {
                await LogAsync(run, "warning", $"Rolling back deployment modification. [modification_id={modification.Id}]", cancellationToken);
                await modifications.RollbackAsync(identity.TenantName, modification.Id, cancellationToken);
            }

            return outcome;
        }

        await modifications.FinishAsync(identity.TenantName, modification.Id, cancellationToken);
        return outcome;
    }

    /// <summary>This execution's modification (the newest, by creation), whatever its status; null when none was started.</summary>
    private static async Task<DeploymentModification?> MineAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        var page = await run.Store.ListDeploymentModificationsAsync(
            run.Identity.TenantName,
            new ListQuery { GetAll = true, Filters = new Dictionary<string, IReadOnlyList<string>> { ["deployment_id"] = [run.Identity.DeploymentId!] } },
            cancellationToken);
        return page.Items.LastOrDefault(m => GraphTaskText(m.Context, "execution_id") == run.Identity.ExecutionId);
    }

    /// <summary>Cloudify's <c>_abort_started_deployment_modifications</c>: added instances uninstalled, then the modification rolled back.</summary>
    private static async Task<GraphOutcome?> AbortStartedAsync(
        WorkflowRun run, DeploymentModifications modifications, bool ignoreFailure, CancellationToken cancellationToken)
    {
        var page = await run.Store.ListDeploymentModificationsAsync(
            run.Identity.TenantName,
            new ListQuery
            {
                GetAll = true,
                Filters = new Dictionary<string, IReadOnlyList<string>>
                {
                    ["deployment_id"] = [run.Identity.DeploymentId!],
                    ["status"] = [DeploymentModificationStatus.Started],
                },
            },
            cancellationToken);
        foreach (var started in page.Items.Where(m => GraphTaskText(m.Context, "execution_id") != run.Identity.ExecutionId))
        {
            await LogAsync(run, "info", $"Rolling back deployment modification. [modification_id={started.Id}]", cancellationToken);
            var added = Tagged(started, "added_and_related", AddedTag);
            if (added.Count > 0)
            {
                var uninstalled = await run.RunGraphAsync(
                    "abort_" + started.Id,
                    (b, f, m) => LifecycleGraph.Uninstall(b, f, m, BuiltInWorkflows.Pick(m, added), ignoreFailure),
                    cancellationToken: cancellationToken);
                if (uninstalled.Status != ExecutionStatus.Terminated)
                {
                    return uninstalled;
                }
            }

            await modifications.RollbackAsync(run.Identity.TenantName, started.Id, cancellationToken);
        }

        return null;
    }

    private static HashSet<string> Tagged(DeploymentModification modification, string list, string tag) =>
        [.. (modification.NodeInstances[list] as JsonArray ?? []).OfType<JsonObject>()
            .Where(i => GraphTaskText(i, "modification") == tag)
            .Select(i => GraphTaskText(i, "id"))
            .OfType<string>()];

    /// <summary>Cloudify's <c>get_groups_with_members</c>: scaling-group instance id to its member instance ids.</summary>
    private static Dictionary<string, List<string>> GroupMembers(DeploymentModel model)
    {
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var instance in model.Instances)
        {
            foreach (var groupId in instance.ScalingGroups.OfType<JsonObject>().Select(g => GraphTaskText(g, "id")).OfType<string>())
            {
                if (!members.TryGetValue(groupId, out var list))
                {
                    members[groupId] = list = [];
                }

                list.Add(instance.Id);
            }
        }

        return members;
    }

    private static string? GraphTaskText(JsonObject o, string key) => Graph.GraphTask.Text(o, key);

    private static GraphOutcome Failed(string message) => new(ExecutionStatus.Failed, message);

    private static Task LogAsync(WorkflowRun run, string level, string message, CancellationToken cancellationToken) =>
        run.Events.AddAsync(run.EventFactory.Log(level, message), cancellationToken);
}
