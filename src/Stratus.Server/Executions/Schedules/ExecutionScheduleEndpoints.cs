using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Server.Auth;
using Stratus.Server.Http;

namespace Stratus.Server.Executions.Schedules;

internal static class ExecutionScheduleEndpoints
{
    public static RouteGroupBuilder MapExecutionSchedules(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/execution-schedules");
        group.MapGet("", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", CreateAsync);
        group.MapPatch("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(
        Caller caller, HttpRequest request, ExecutionScheduleService schedules, CancellationToken cancellationToken) =>
        TypedResults.Json(await schedules.ListAsync(caller, ListQueryParser.Parse(request.Query, ExecutionScheduleRenderer.Fields), cancellationToken));

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(
        string id, Caller caller, HttpRequest request, ExecutionScheduleService schedules, CancellationToken cancellationToken)
    {
        var include = ListQueryParser.ParseInclude(request.Query["_include"], ExecutionScheduleRenderer.Fields);
        var rendered = await schedules.GetAsync(caller, id, DeploymentId(request), cancellationToken);
        return TypedResults.Json(ListResponse.Project(rendered, include));
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateAsync(
        string id, Caller caller, HttpRequest request, ExecutionScheduleService schedules, ManagerOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var created = await schedules.CreateAsync(caller, id, DeploymentId(request), body, cancellationToken);
        return TypedResults.Json(created, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Cloudify answers a schedule update with 201 too.</summary>
    private static async Task<JsonHttpResult<JsonObject>> UpdateAsync(
        string id, Caller caller, HttpRequest request, ExecutionScheduleService schedules, ManagerOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var updated = await schedules.UpdateAsync(caller, id, DeploymentId(request), body, cancellationToken);
        return TypedResults.Json(updated, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<NoContent> DeleteAsync(
        string id, Caller caller, HttpRequest request, ExecutionScheduleService schedules, CancellationToken cancellationToken)
    {
        await schedules.DeleteAsync(caller, id, DeploymentId(request), cancellationToken);
        return TypedResults.NoContent();
    }

    private static string? DeploymentId(HttpRequest request) => request.Query["deployment_id"].LastOrDefault();
}
