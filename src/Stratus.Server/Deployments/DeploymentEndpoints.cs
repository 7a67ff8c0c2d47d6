using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Dsl;
using Stratus.Server.Http;
using Stratus.Server.Secrets;
using Stratus.Storage;

namespace Stratus.Server.Deployments;

internal static class DeploymentEndpoints
{
    public static RouteGroupBuilder MapDeployments(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/deployments");
        group.MapGet("", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", CreateAsync);
        group.MapPatch("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGet("/{id}/outputs", OutputsAsync);
        group.MapGet("/{id}/capabilities", CapabilitiesAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, DeploymentRenderer.Fields);
        var page = await store.ListDeploymentsAsync(
            caller.Tenant, await ListScope.ForAsync(caller, list, "deployment_list", store, cancellationToken), cancellationToken);
        var rendered = new Dictionary<Deployment, JsonObject>(ReferenceEqualityComparer.Instance);

        // Set-based reads per tenant on the page (several only with _all_tenants).
        foreach (var tenant in page.Items.GroupBy(d => d.TenantName, StringComparer.Ordinal))
        {
            var ids = tenant.Select(d => d.Id).ToList();
            var instances = await DeploymentReads.InstancesByDeploymentAsync(store, tenant.Key, ids, cancellationToken);
            var executions = await DeploymentReads.ExecutionsByIdAsync(store, tenant.Key, tenant.Select(d => d.LatestExecutionId), cancellationToken);
            var groups = await store.GetGroupIdsOfDeploymentsAsync(tenant.Key, ids, cancellationToken);
            foreach (var d in tenant)
            {
                rendered[d] = DeploymentRenderer.Render(
                    d, d.LatestExecutionId is { } e ? executions.GetValueOrDefault(e) : null, [.. instances[d.Id]], groups.GetValueOrDefault(d.Id));
            }
        }

        return TypedResults.Json(ListResponse.Create(page, d => rendered[d], list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(string id, Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var include = ListQueryParser.ParseInclude(request.Query["_include"], DeploymentRenderer.Fields);
        var deployment = caller.Visible(await store.GetDeploymentAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("Deployment", id);
        return TypedResults.Json(ListResponse.Project(await RenderAsync(store, deployment, cancellationToken), include));
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateAsync(
        string id,
        Caller caller,
        HttpRequest request,
        DeploymentService deployments,
        IStratusStore store,
        ManagerOptions options,
        CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var deployment = await deployments.CreateAsync(caller, id, body, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, deployment, cancellationToken), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<JsonHttpResult<JsonObject>> UpdateAsync(
        string id,
        Caller caller,
        HttpRequest request,
        DeploymentService deployments,
        IStratusStore store,
        ManagerOptions options,
        CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var deployment = await deployments.UpdateAsync(caller, id, body, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, deployment, cancellationToken));
    }

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, HttpRequest request, DeploymentService deployments, CancellationToken cancellationToken)
    {
        var force = Wire.ParseBool("force", request.Query["force"].LastOrDefault(), false);
        await deployments.DeleteAsync(caller, id, force, cancellationToken);
        return TypedResults.NoContent();
    }

    private static Task<JsonHttpResult<JsonObject>> OutputsAsync(
        string id, Caller caller, IStratusStore store, IDslService dsl, SecretService secrets, CancellationToken cancellationToken) =>
        EvaluateAsync(id, caller, store, dsl, secrets, "outputs", ErrorCodes.DeploymentOutputsEvaluation, cancellationToken);

    private static Task<JsonHttpResult<JsonObject>> CapabilitiesAsync(
        string id, Caller caller, IStratusStore store, IDslService dsl, SecretService secrets, CancellationToken cancellationToken) =>
        EvaluateAsync(id, caller, store, dsl, secrets, "capabilities", ErrorCodes.DeploymentCapabilitiesEvaluation, cancellationToken);

    private static async Task<JsonHttpResult<JsonObject>> EvaluateAsync(
        string id, Caller caller, IStratusStore store, IDslService dsl, SecretService secrets, string kind, string errorCode, CancellationToken cancellationToken)
    {
        var deployment = caller.Visible(await store.GetDeploymentAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("Deployment", id);
        var definitions = kind == "outputs" ? deployment.Outputs : deployment.Capabilities;
        var values = new JsonObject();
        if (definitions.Count > 0)
        {
            var nodes = await store.ListNodesAsync(caller.Tenant, DeploymentReads.In("deployment_id", [id]), cancellationToken);
            var instances = await store.ListNodeInstancesAsync(caller.Tenant, DeploymentReads.In("deployment_id", [id]), cancellationToken);
            var secretCache = secrets.CacheFor(caller);
            var consumers = await DeploymentReads.ConsumerNamesAsync(store, caller.Tenant, [deployment], cancellationToken);
            var context = new DeploymentFunctionContext(deployment, nodes.Items, instances.Items, consumers, secrets: secretCache);
            var capabilities = StoredCapabilities.For(store, caller, secretCache);
            foreach (var (name, definition) in definitions)
            {
                try
                {
                    values[name] = await dsl.EvaluateAsync(definition?["value"]?.DeepClone(), context, capabilities, cancellationToken);
                }
                catch (Exception e) when (e is not StratusException and not OperationCanceledException)
                {
                    throw new StratusException(errorCode, 400, $"Error evaluating {kind} of deployment {id}: {name}: {e.Message}");
                }
            }
        }

        return TypedResults.Json(new JsonObject { ["deployment_id"] = id, [kind] = values });
    }

    internal static async Task<JsonObject> RenderAsync(IStratusStore store, Deployment deployment, CancellationToken cancellationToken)
    {
        var instances = await store.ListNodeInstancesAsync(deployment.TenantName, DeploymentReads.In("deployment_id", [deployment.Id]), cancellationToken);
        var latest = deployment.LatestExecutionId is { } e ? await store.GetExecutionAsync(deployment.TenantName, e, cancellationToken) : null;
        var groups = await store.GetGroupIdsOfDeploymentsAsync(deployment.TenantName, [deployment.Id], cancellationToken);
        return DeploymentRenderer.Render(deployment, latest, instances.Items, groups.GetValueOrDefault(deployment.Id));
    }
}
