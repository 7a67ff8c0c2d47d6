using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Deployments;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Events;

internal static class EventEndpoints
{
    public static RouteGroupBuilder MapEvents(this RouteGroupBuilder api)
    {
        api.MapGet("/events", ListAsync);
        api.MapPost("/events", CreateAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, EventRenderer.Fields);
        var query = list.Query with
        {
            PrivateVisibleTo = caller.PrivateFilter,
            // Cloudify sorts on "@timestamp"; the column is timestamp.
            Sort = [.. list.Query.Sort.Select(s => s.Field == "@timestamp" ? s with { Field = "timestamp" } : s)],
        };
        var page = await store.ListEventsAsync(caller.Tenant, query, cancellationToken);
        var names = await DeploymentReads.DisplayNamesAsync(store, caller.Tenant, page.Items.Select(e => e.DeploymentId), cancellationToken);
        return TypedResults.Json(ListResponse.Create(
            page,
            e => EventRenderer.Render(e, e.DeploymentId is { } d ? names.GetValueOrDefault(d) : null),
            list.Include,
            withFiltered: false));
    }

    /// <summary>Agents' and workflows' events and logs (reference 5.4); tenant and creator come from the execution.</summary>
    private static async Task<IResult> CreateAsync(
        Caller caller,
        HttpRequest request,
        IStratusStore store,
        EventIngestor ingestor,
        ManagerOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var executionId = Wire.GetString(body, "execution_id") ?? caller.ExecutionId
            ?? throw StratusException.Conflict("No execution passed, and not authenticated by an execution token");
        if (caller.ExecutionId is { } tokenExecution && tokenExecution != executionId)
        {
            throw StratusException.Forbidden("The execution token does not belong to execution " + executionId);
        }

        var execution = caller.Visible(await store.GetExecutionAsync(caller.Tenant, executionId, cancellationToken))
            ?? throw ResourceIds.NotFound("Execution", executionId);
        var now = timeProvider.GetUtcNow();
        var agentName = Wire.GetString(body, "agent_name");
        var managerName = Wire.GetString(body, "manager_name");
        var stored = new List<StoredEvent>();
        foreach (var item in Items(body, "events"))
        {
            stored.Add(EventItems.ToStored(item, EventItems.EventType, execution, now, agentName, managerName, EventItems.IdempotencyKey(item)));
        }

        foreach (var item in Items(body, "logs"))
        {
            stored.Add(EventItems.ToStored(item, EventItems.LogType, execution, now, agentName, managerName, EventItems.IdempotencyKey(item)));
        }

        if (stored.Count == 0)
        {
            return TypedResults.NoContent();
        }

        if (!caller.IsSysAdmin && Items(body, "events").Concat(Items(body, "logs")).Any(i => i["reported_timestamp"] is not null))
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to set reported_timestamp");
        }

        // Checkpoint: 201 only once the batch holding these rows is committed; a producer that sees an error resends,
        // and keyed events are stored once.
        await ingestor.StoreAsync(stored, cancellationToken);
        return TypedResults.StatusCode(StatusCodes.Status201Created);
    }

    private static IEnumerable<JsonObject> Items(JsonObject body, string name) => body[name] switch
    {
        null => [],
        JsonArray a => a.Select(i => i as JsonObject ?? throw StratusException.BadParameters($"{name} must be a list of dicts")),
        _ => throw StratusException.BadParameters($"{name} must be a list"),
    };
}
