using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Deployments;
using Stratus.Server.Executions.Schedules;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Executions;

internal static class ExecutionEndpoints
{
    private static readonly ResourceFields ListFields = ExecutionRenderer.Fields with { Ignored = ["_include_system_workflows"] };

    public static RouteGroupBuilder MapExecutions(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/executions");
        group.MapGet("", ListAsync);
        group.MapPost("", StartAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/{id}", ActAsync);
        group.MapPatch("/{id}", UpdateAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, ListFields);
        var page = await store.ListExecutionsAsync(
            caller.Tenant, await ListScope.ForAsync(caller, list, "execution_list", store, cancellationToken), cancellationToken);
        var names = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var tenant in page.Items.GroupBy(e => e.TenantName, StringComparer.Ordinal))
        {
            names[tenant.Key] = await DeploymentReads.DisplayNamesAsync(store, tenant.Key, tenant.Select(e => e.DeploymentId), cancellationToken);
        }

        return TypedResults.Json(ListResponse.Create(
            page,
            e => ExecutionRenderer.Render(e, e.DeploymentId is { } d ? names[e.TenantName].GetValueOrDefault(d) : null),
            list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(string id, Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var include = ListQueryParser.ParseInclude(request.Query["_include"], ExecutionRenderer.Fields);
        var execution = caller.Visible(await store.GetExecutionAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("Execution", id);
        return TypedResults.Json(ListResponse.Project(await RenderAsync(store, execution, cancellationToken), include));
    }

    private static async Task<JsonHttpResult<JsonObject>> StartAsync(
        Caller caller,
        HttpRequest request,
        ExecutionService executions,
        ExecutionScheduleService schedules,
        IStratusStore store,
        ManagerOptions options,
        CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        // Cloudify schedules when scheduled_time is truthy; an empty or null value starts now.
        if (body["scheduled_time"] is { } scheduled && !(scheduled is JsonValue v && v.TryGetValue<string>(out var text) && text.Length == 0))
        {
            return TypedResults.Json(await schedules.ScheduleOnceAsync(caller, body, cancellationToken), statusCode: StatusCodes.Status201Created);
        }

        var execution = await executions.StartAsync(caller, body, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, execution, cancellationToken), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<JsonHttpResult<JsonObject>> ActAsync(
        string id, Caller caller, HttpRequest request, ExecutionService executions, IStratusStore store, ManagerOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var action = Wire.GetString(body, "action") ?? throw StratusException.BadParameters("action is required");
        var execution = await executions.ActAsync(caller, id, action, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, execution, cancellationToken));
    }

    private static async Task<JsonHttpResult<JsonObject>> UpdateAsync(
        string id, Caller caller, HttpRequest request, ExecutionService executions, IStratusStore store, ManagerOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var status = Wire.GetString(body, "status") ?? throw StratusException.BadParameters("status is required");
        var execution = await executions.UpdateStatusAsync(caller, id, status, Wire.GetString(body, "error"), cancellationToken);
        return TypedResults.Json(await RenderAsync(store, execution, cancellationToken));
    }

    private static async Task<JsonObject> RenderAsync(IStratusStore store, Execution execution, CancellationToken cancellationToken)
    {
        var deployment = execution.DeploymentId is { } d ? await store.GetDeploymentAsync(execution.TenantName, d, cancellationToken) : null;
        return ExecutionRenderer.Render(execution, deployment?.DisplayName);
    }
}
