using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Operations;

/// <summary>Operations and tasks graphs of an execution (wire 33/34), read-mostly.</summary>
internal static class OperationEndpoints
{
    private static readonly ResourceFields OperationFields = new(
        Sortable: [],
        Filterable: ["execution_id", "graph_id", "state"],
        Includable:
        [
            "agent_name", "created_at", "created_by", "dependencies", "id", "manager_name", "name", "parameters",
            "private_resource", "resource_availability", "state", "tasks_graph_id", "tenant_name", "type", "visibility",
        ])
    {
        Ignored = ["skip_internal"],
    };

    private static readonly ResourceFields GraphFields = new(
        Sortable: [],
        Filterable: ["execution_id", "name"],
        Includable:
        [
            "created_at", "created_by", "execution_id", "id", "name", "private_resource", "resource_availability",
            "tenant_name", "visibility",
        ]);

    public static RouteGroupBuilder MapOperations(this RouteGroupBuilder api)
    {
        api.MapGet("/operations", ListOperationsAsync);
        api.MapGet("/operations/{id}", GetOperationAsync);
        api.MapPatch("/operations/{id}", PatchOperationAsync);
        api.MapGet("/tasks_graphs", ListGraphsAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListOperationsAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, OperationFields);
        var graphIds = new List<string>(list.Query.Filters.GetValueOrDefault("graph_id") ?? []);
        string creator = caller.Username;
        foreach (var executionId in list.Query.Filters.GetValueOrDefault("execution_id") ?? [])
        {
            var execution = caller.Visible(await store.GetExecutionAsync(caller.Tenant, executionId, cancellationToken));
            if (execution is not null)
            {
                creator = execution.CreatedBy;
                graphIds.AddRange((await store.ListTaskGraphsAsync(executionId, cancellationToken)).Select(g => g.Id));
            }
        }

        if (graphIds.Count == 0 && !list.Query.Filters.ContainsKey("execution_id") && !list.Query.Filters.ContainsKey("graph_id"))
        {
            throw StratusException.BadParameters("Listing operations needs execution_id or graph_id");
        }

        var states = list.Query.Filters.GetValueOrDefault("state");
        var operations = new List<OperationRecord>();
        foreach (var graphId in graphIds.Distinct(StringComparer.Ordinal))
        {
            operations.AddRange((await store.ListOperationsAsync(graphId, cancellationToken))
                .Where(o => o.TenantName == caller.Tenant && (states is null || states.Contains(o.State))));
        }

        var page = ListResponse.PageOf(operations, list.Query);
        return TypedResults.Json(ListResponse.Create(page, o => Render(o, creator), list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetOperationAsync(string id, Caller caller, IStratusStore store, CancellationToken cancellationToken)
    {
        var operation = await store.GetOperationAsync(id, cancellationToken);
        if (operation is null || operation.TenantName != caller.Tenant)
        {
            throw ResourceIds.NotFound("Operation", id);
        }

        return TypedResults.Json(Render(operation, caller.Username));
    }

    private static async Task<JsonHttpResult<JsonObject>> PatchOperationAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, ManagerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        if (OperationClaims.IsClaim(body))
        {
            await OperationClaims.ClaimAsync(id, caller, body, store, time, cancellationToken);
            return TypedResults.Json(new JsonObject());
        }

        var operation = await store.GetOperationAsync(id, cancellationToken);
        if (operation is null || operation.TenantName != caller.Tenant)
        {
            throw ResourceIds.NotFound("Operation", id);
        }

        if (Wire.GetString(body, "state") is { } state)
        {
            if (!OperationStates.All.Contains(state))
            {
                throw StratusException.BadParameters($"Invalid operation state: `{state}`. Valid states are: {Wire.PyList(OperationStates.All)}");
            }

            // The state of the attempt the row holds, by the same compare-and-set as the engine's writes: the engine
            // resumes a graph from these states, so an attempt never moves back or leaves its end.
            if (await store.UpdateOperationStatesAsync([(id, state, operation.Attempt)], cancellationToken) == 0)
            {
                var now = await store.GetOperationAsync(id, cancellationToken);
                throw StratusException.Conflict(
                    $"Operation `{id}` cannot move to state `{state}`: attempt {now?.Attempt ?? operation.Attempt} is {now?.State ?? operation.State}");
            }
        }

        return TypedResults.Json(new JsonObject());
    }

    private static async Task<JsonHttpResult<JsonObject>> ListGraphsAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, GraphFields);
        var names = list.Query.Filters.GetValueOrDefault("name");
        var graphs = new List<(TaskGraph Graph, string Creator)>();
        foreach (var executionId in list.Query.Filters.GetValueOrDefault("execution_id") ?? [])
        {
            var execution = caller.Visible(await store.GetExecutionAsync(caller.Tenant, executionId, cancellationToken));
            if (execution is null)
            {
                continue;
            }

            graphs.AddRange((await store.ListTaskGraphsAsync(executionId, cancellationToken))
                .Where(g => g.TenantName == caller.Tenant && (names is null || names.Contains(g.Name)))
                .Select(g => (g, execution.CreatedBy)));
        }

        var page = ListResponse.PageOf(graphs, list.Query);
        return TypedResults.Json(ListResponse.Create(page, g => RenderGraph(g.Graph, g.Creator), list.Include));
    }

    private static JsonObject Render(OperationRecord o, string createdBy) => new()
    {
        ["agent_name"] = o.AgentName,
        ["created_at"] = Wire.Timestamp(o.CreatedAt),
        ["created_by"] = createdBy,
        ["dependencies"] = new JsonArray([.. o.Dependencies.Select(d => JsonValue.Create(d))]),
        ["id"] = o.Id,
        ["manager_name"] = o.ManagerName,
        ["name"] = o.Name,
        ["parameters"] = Wire.Clone(o.Parameters),
        ["private_resource"] = false,
        ["resource_availability"] = Visibility.Tenant,
        ["state"] = o.State,
        ["tasks_graph_id"] = o.GraphId,
        ["tenant_name"] = o.TenantName,
        ["type"] = o.Type,
        ["visibility"] = Visibility.Tenant,
    };

    private static JsonObject RenderGraph(TaskGraph g, string createdBy) => new()
    {
        ["created_at"] = Wire.Timestamp(g.CreatedAt),
        ["created_by"] = createdBy,
        ["execution_id"] = g.ExecutionId,
        ["id"] = g.Id,
        ["name"] = g.Name,
        ["private_resource"] = false,
        ["resource_availability"] = Visibility.Tenant,
        ["tenant_name"] = g.TenantName,
        ["visibility"] = Visibility.Tenant,
    };
}
