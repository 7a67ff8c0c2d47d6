using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;
using Stratus.Workflows.Modifications;

namespace Stratus.Server.Modifications;

/// <summary>
/// <c>/deployment-modifications</c>: list (<c>deployment_id</c> and the other filters, paginated), get, start (201),
/// finish and rollback, as Cloudify's DeploymentModifications resources; the work is <see cref="DeploymentModifications"/>.
/// </summary>
internal static class DeploymentModificationEndpoints
{
    public static RouteGroupBuilder MapDeploymentModifications(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/deployment-modifications");
        group.MapGet("", ListAsync);
        group.MapPost("", StartAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/{id}/finish", FinishAsync);
        group.MapPost("/{id}/rollback", RollbackAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, DeploymentModificationRenderer.Fields);
        var page = await store.ListDeploymentModificationsAsync(caller.Tenant, list.Query with { PrivateVisibleTo = caller.PrivateFilter }, cancellationToken);
        return TypedResults.Json(ListResponse.Create(page, DeploymentModificationRenderer.Render, list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, DeploymentModificationRenderer.Fields);
        var modification = await VisibleAsync(store, caller, id, cancellationToken);
        return TypedResults.Json(ListResponse.Project(DeploymentModificationRenderer.Render(modification), list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> StartAsync(
        Caller caller, HttpRequest request, IStratusStore store, ManagerOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var deploymentId = BodyParams.RequiredString(body, "deployment_id");
        var nodes = BodyParams.Optional(body, "nodes", "dict") as JsonObject ?? [];
        var context = BodyParams.Optional(body, "context", "dict") as JsonObject ?? [];
        var deployment = caller.Visible(await store.GetDeploymentAsync(caller.Tenant, deploymentId, cancellationToken))
            ?? throw ResourceIds.NotFound("Deployment", deploymentId);
        var started = await new DeploymentModifications(store, timeProvider).StartAsync(deployment, nodes, context, caller.Username, cancellationToken);
        return TypedResults.Json(DeploymentModificationRenderer.Render(started), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<JsonHttpResult<JsonObject>> FinishAsync(
        string id, Caller caller, IStratusStore store, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await VisibleAsync(store, caller, id, cancellationToken);
        var ended = await new DeploymentModifications(store, timeProvider).FinishAsync(caller.Tenant, id, cancellationToken);
        return TypedResults.Json(DeploymentModificationRenderer.Render(ended));
    }

    private static async Task<JsonHttpResult<JsonObject>> RollbackAsync(
        string id, Caller caller, IStratusStore store, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await VisibleAsync(store, caller, id, cancellationToken);
        var ended = await new DeploymentModifications(store, timeProvider).RollbackAsync(caller.Tenant, id, cancellationToken);
        return TypedResults.Json(DeploymentModificationRenderer.Render(ended));
    }

    private static async Task<DeploymentModification> VisibleAsync(IStratusStore store, Caller caller, string id, CancellationToken cancellationToken) =>
        await store.GetDeploymentModificationAsync(caller.Tenant, id, cancellationToken) is { } m && caller.CanSee(m.Visibility, m.CreatedBy)
            ? m
            : throw ResourceIds.NotFound("DeploymentModification", id);
}
