using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Dsl;
using Stratus.Server.Auth;
using Stratus.Server.Deployments;
using Stratus.Server.Dsl;
using Stratus.Server.Http;
using Stratus.Server.Secrets;
using Stratus.Storage;

namespace Stratus.Server.Nodes;

internal static class NodeEndpoints
{
    public static RouteGroupBuilder MapNodes(this RouteGroupBuilder api)
    {
        api.MapGet("/nodes", ListNodesAsync);
        api.MapGet("/node-instances", ListInstancesAsync);
        api.MapGet("/node-instances/{id}", GetInstanceAsync);
        api.MapPatch("/node-instances/{id}", PatchInstanceAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListNodesAsync(
        Caller caller, HttpRequest request, IStratusStore store, IDslService dsl, SecretService secrets, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, NodeRenderer.Fields);
        var evaluate = Wire.ParseBool("_evaluate_functions", request.Query["_evaluate_functions"].LastOrDefault(), false);
        var page = await store.ListNodesAsync(caller.Tenant, await ListScope.ForAsync(caller, list, "node_list", store, cancellationToken), cancellationToken);
        var renderedNodes = new Dictionary<Stratus.Core.Model.Node, JsonObject>(ReferenceEqualityComparer.Instance);

        // Set-based reads per tenant on the page (several only with _all_tenants), each node evaluated in its own tenant.
        foreach (var tenant in page.Items.GroupBy(n => n.TenantName, StringComparer.Ordinal))
        {
            var reader = caller.ScopedTo(tenant.Key);
            var deploymentIds = tenant.Select(n => n.DeploymentId).Distinct(StringComparer.Ordinal).ToList();
            var names = await DeploymentReads.DisplayNamesAsync(store, tenant.Key, deploymentIds, cancellationToken);
            var instances = (await DeploymentReads.InstancesByDeploymentAsync(store, tenant.Key, deploymentIds, cancellationToken))
                .SelectMany(g => g)
                .ToLookup(i => (i.DeploymentId, i.NodeId));
            var secretCache = secrets.CacheFor(reader);
            var contexts = evaluate
                ? await EvaluationContextsAsync(store, tenant.Key, deploymentIds, request.Query["_instance_context"].LastOrDefault(), secretCache, cancellationToken)
                : [];
            var capabilities = StoredCapabilities.For(store, reader, secretCache);
            foreach (var n in tenant)
            {
                var rendered = NodeRenderer.Render(n, names.GetValueOrDefault(n.DeploymentId), [.. instances[(n.DeploymentId, n.Id)]]);
                if (evaluate)
                {
                    // Cloudify's evaluate_node: the node's properties, with SELF being the node (runtime_only_evaluation
                    // deployments store them raw; get_attribute and get_secret stay raw in any deployment).
                    rendered["properties"] = await dsl.EvaluateForNodeAsync(rendered["properties"], n.Id, contexts[n.DeploymentId], capabilities, cancellationToken);
                }

                renderedNodes[n] = rendered;
            }
        }

        return TypedResults.Json(ListResponse.Create(page, n => renderedNodes[n], list.Include));
    }

    /// <summary>One context per deployment on the page, read with three set-based queries.</summary>
    private static async Task<Dictionary<string, DeploymentFunctionContext>> EvaluationContextsAsync(
        IStratusStore store, string tenant, List<string> deploymentIds, string? instanceContext, SecretCache secrets, CancellationToken cancellationToken)
    {
        if (deploymentIds.Count == 0)
        {
            return [];
        }

        var deployments = await store.ListDeploymentsAsync(tenant, DeploymentReads.In("id", deploymentIds), cancellationToken);
        var nodes = (await store.ListNodesAsync(tenant, DeploymentReads.In("deployment_id", deploymentIds), cancellationToken)).Items
            .ToLookup(n => n.DeploymentId, StringComparer.Ordinal);
        var instances = await DeploymentReads.InstancesByDeploymentAsync(store, tenant, deploymentIds, cancellationToken);
        var consumers = await DeploymentReads.ConsumerNamesAsync(store, tenant, deployments.Items, cancellationToken);
        var contexts = deployments.Items.ToDictionary(
            d => d.Id, d => new DeploymentFunctionContext(d, [.. nodes[d.Id]], [.. instances[d.Id]], consumers, instanceContext, secrets: secrets), StringComparer.Ordinal);
        foreach (var id in deploymentIds.Where(id => !contexts.ContainsKey(id)))
        {
            throw ResourceIds.NotFound("Deployment", id);
        }

        return contexts;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListInstancesAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, NodeInstanceRenderer.Fields);
        var page = await store.ListNodeInstancesAsync(caller.Tenant, await ListScope.ForAsync(caller, list, "node_instance_list", store, cancellationToken), cancellationToken);
        return TypedResults.Json(ListResponse.Create(page, NodeInstanceRenderer.Render, list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetInstanceAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, IDslService dsl, SecretService secrets, CancellationToken cancellationToken)
    {
        var include = ListQueryParser.ParseInclude(request.Query["_include"], NodeInstanceRenderer.Fields);
        var evaluate = Wire.ParseBool("_evaluate_functions", request.Query["_evaluate_functions"].LastOrDefault(), false);
        var instance = caller.Visible(await store.GetNodeInstanceAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("NodeInstance", id);
        var rendered = NodeInstanceRenderer.Render(instance);
        if (evaluate)
        {
            // Cloudify's evaluate_node_instance: the runtime properties, in the scope of this instance.
            var deployment = await store.GetDeploymentAsync(caller.Tenant, instance.DeploymentId, cancellationToken)
                ?? throw ResourceIds.NotFound("Deployment", instance.DeploymentId);
            var secretCache = secrets.CacheFor(caller);
            var context = await DeploymentReads.FunctionContextAsync(store, deployment, instance.Id, null, null, secretCache, cancellationToken);
            rendered["runtime_properties"] = await dsl.EvaluateAsync(
                rendered["runtime_properties"], context, StoredCapabilities.For(store, caller, secretCache), cancellationToken);
        }

        return TypedResults.Json(ListResponse.Project(rendered, include));
    }

    /// <summary>Optimistic-locked update (reference 5.5): a stale <c>version</c> is a 409 unless <c>force</c>.</summary>
    private static async Task<JsonHttpResult<JsonObject>> PatchInstanceAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, ManagerOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var force = Wire.ParseBool("force", request.Query["force"].LastOrDefault(), false);
        if (body["version"] is not JsonValue versionValue || !versionValue.TryGetValue<long>(out var version) || version < 0)
        {
            throw StratusException.BadParameters("version must be a non-negative integer");
        }

        var current = caller.Visible(await store.GetNodeInstanceAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("NodeInstance", id);
        ExecutionScope.RequireDeployment(caller, current.DeploymentId, $"node instance `{id}`");
        if (!force && current.Version > version)
        {
            throw StratusException.Conflict($"Node instance update conflict [current version={current.Version}, update version={version}]");
        }

        if (body["relationships"] is { } relationships && !JsonNode.DeepEquals(relationships, current.Relationships))
        {
            throw new StratusException(ErrorCodes.OnlyDeploymentUpdate, 403, "Relationships can only be changed by a deployment update");
        }

        var update = new NodeInstanceUpdate
        {
            State = body["state"] is null ? null : Wire.GetString(body, "state"),
            RuntimeProperties = ObjectOrNull(body, "runtime_properties"),
            SystemProperties = ObjectOrNull(body, "system_properties"),
        };
        var updated = await store.UpdateNodeInstanceAsync(caller.Tenant, id, update, force ? null : version, cancellationToken);
        return TypedResults.Json(NodeInstanceRenderer.Render(updated));
    }

    private static JsonObject? ObjectOrNull(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonObject o => (JsonObject)o.DeepClone(),
        _ => throw StratusException.BadParameters($"{name} must be a dict"),
    };
}
