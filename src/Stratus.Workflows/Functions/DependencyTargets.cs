using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Storage;
using Stratus.Workflows.Engine;

namespace Stratus.Workflows.Functions;

/// <summary>
/// Cloudify's update_inter_deployment_dependencies: a dependency whose target deployment is named by a function
/// (<c>{get_capability: [{get_input: provider}, endpoint]}</c>) gets that target once the function evaluates, in the
/// source deployment and the instance context it was found in, to an existing deployment of the tenant. Run after a
/// deployment is created and after each of its executions ends.
/// </summary>
public static class DependencyTargets
{
    public static async Task RefreshAsync(IStratusStore store, string tenantName, string deploymentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var query = new ListQuery
        {
            GetAll = true,
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["source_deployment_id"] = [deploymentId] },
        };
        var withFunction = (await store.ListDependenciesAsync(tenantName, query, cancellationToken)).Items
            .Where(d => d.ExternalTarget is null && d.TargetDeploymentFunc is JsonObject { } f && f.ContainsKey("function"))
            .ToList();
        if (withFunction.Count == 0)
        {
            return;
        }

        var deployment = await store.GetDeploymentAsync(tenantName, deploymentId, cancellationToken);
        if (deployment is null)
        {
            return;
        }

        var capabilities = CapabilityLookup.ForTenant(store, tenantName);
        foreach (var dependency in withFunction)
        {
            var target = await EvaluateAsync(store, deployment, (JsonObject)dependency.TargetDeploymentFunc!, capabilities, cancellationToken);
            if (target is null || target == dependency.TargetDeploymentId
                || await store.GetDeploymentAsync(tenantName, target, cancellationToken) is null)
            {
                continue;
            }

            // Compare-and-set against the target read above; a cycle or a concurrent change leaves the row as it is.
            await store.SetDependencyTargetAsync(tenantName, dependency.Id, dependency.TargetDeploymentId, target, cancellationToken);
        }
    }

    private static async Task<string?> EvaluateAsync(
        IStratusStore store, Deployment deployment, JsonObject func, ICapabilitySource capabilities, CancellationToken cancellationToken)
    {
        var scope = func["context"] as JsonObject ?? [];
        var context = await StoreFunctionContext.LoadAsync(
            store, deployment, Text(scope["self"]), Text(scope["source"]), Text(scope["target"]), null, cancellationToken);
        try
        {
            var value = await IntrinsicFunctions.EvaluateAsync(func["function"]?.DeepClone(), context, capabilities, cancellationToken);
            return Text(value);
        }
        catch (DeploymentPlanException)
        {
            // Not resolvable yet (an attribute not set, a deployment not created): Cloudify leaves the target unknown.
            return null;
        }
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
