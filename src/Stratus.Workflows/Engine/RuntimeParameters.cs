using System.Text.Json.Nodes;
using Stratus.Dsl;
using Stratus.Storage;
using Stratus.Workflows.Lifecycle;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Workflow parameters that call <c>get_secret</c> are stored as written; they are evaluated here, when the run starts
/// (and again on resume), for the execution's creator in its tenant. The result lives only in memory and in the task
/// messages of this run, never in a stored row.
/// </summary>
internal static class RuntimeParameters
{
    public static async Task<JsonObject> ResolveAsync(
        IStratusStore store, WorkflowIdentity identity, StoreSecrets secrets, JsonObject parameters, CancellationToken cancellationToken)
    {
        var names = parameters.Where(p => p.Value is JsonObject or JsonArray && IntrinsicFunctions.ContainsGetSecret(p.Value)).Select(p => p.Key).ToList();
        if (names.Count == 0 || identity.DeploymentId is null)
        {
            return parameters;
        }

        var cache = secrets.NewCache();
        var context = await StoreFunctionContext.LoadAsync(store, identity.TenantName, identity.DeploymentId, null, null, null, cache, cancellationToken);
        var capabilities = Functions.CapabilityLookup.ForTenant(store, identity.TenantName, cache);
        var resolved = (JsonObject)parameters.DeepClone();
        foreach (var name in names)
        {
            resolved[name] = await IntrinsicFunctions.EvaluateAsync(resolved[name], context, capabilities, cancellationToken);
        }

        return resolved;
    }
}
