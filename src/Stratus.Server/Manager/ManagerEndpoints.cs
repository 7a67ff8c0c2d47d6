using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Stratus.Messaging;
using Stratus.Server.Auth;
using Stratus.Server.Files;
using Stratus.Server.Hosting;
using Stratus.Server.Http;
using Stratus.Storage;
using Stratus.Workflows;

namespace Stratus.Server.Manager;

/// <summary>The endpoints <c>cfy profiles use</c> and the Python client call about the manager itself.</summary>
internal static class ManagerEndpoints
{
    public static RouteGroupBuilder MapManager(this RouteGroupBuilder api)
    {
        api.MapGet("/version", Version);
        api.MapGet("/ok", Ok).WithMetadata(new AnonymousEndpointAttribute());
        api.MapGet("/status", Status);
        api.MapGet("/config", Config);
        api.MapGet("/provider/context", ProviderContext);
        api.MapGet("/managers", Managers);
        api.MapGet("/brokers", Brokers);
        api.MapGet("/db-nodes", DbNodes);
        api.MapGet("/maintenance", Maintenance);
        return api;
    }

    internal static JsonHttpResult<JsonObject> Version(Caller caller) => TypedResults.Json(VersionBody());

    internal static JsonObject VersionBody() => new()
    {
        ["build"] = null,
        ["commit"] = null,
        ["date"] = null,
        ["distribution"] = ManagerInfo.Distribution,
        ["distro_release"] = null,
        ["edition"] = ManagerInfo.Edition,
        ["version"] = ManagerInfo.Version,
    };

    private static JsonHttpResult<string> Ok(ManagerReadiness readiness) =>
        readiness.IsReady ? TypedResults.Json("OK") : TypedResults.Json("FAIL", statusCode: StatusCodes.Status500InternalServerError);

    private static JsonHttpResult<JsonObject> Status(Caller caller, ManagerOptions options)
    {
        JsonObject Service(bool remote) => new() { ["extra_info"] = new JsonObject(), ["is_remote"] = remote, ["status"] = "Active" };
        return TypedResults.Json(new JsonObject
        {
            ["services"] = new JsonObject
            {
                ["Manager Rest-Service"] = Service(false),
                ["Management Worker"] = Service(false),
                [options.StorageProvider == "postgresql" ? "PostgreSQL" : "SQLite"] = Service(options.StorageProvider == "postgresql"),
                ["Message Broker"] = Service(options.BrokerUrl is not null),
            },
            ["status"] = "OK",
        });
    }

    private static JsonHttpResult<JsonObject> Config(
        Caller caller, HttpRequest request, ManagerOptions options, ResourceLayout layout, IOptions<WorkflowOptions> workflowOptions)
    {
        var baseUrl = $"{request.Scheme}://{request.Host}";
        JsonObject Item(string name, JsonNode? value, JsonObject? schema, bool editable = false, string scope = "rest") => new()
        {
            ["admin_only"] = false,
            ["is_editable"] = editable,
            ["name"] = name,
            ["schema"] = schema,
            ["scope"] = scope,
            ["updated_at"] = null,
            ["updater_name"] = null,
            ["value"] = value,
        };
        var items = new JsonArray
        {
            Item("blueprint_folder_max_files", options.MaxArchiveEntries, new JsonObject { ["minimum"] = 0, ["type"] = "integer" }),
            Item("blueprint_folder_max_size_mb", options.MaxArchiveBytes / (1024 * 1024), new JsonObject { ["minimum"] = 0, ["type"] = "number" }),
            Item("default_agent_port", options.Port, new JsonObject { ["maximum"] = 65535, ["minimum"] = 1, ["type"] = "number" }),
            Item("default_page_size", Storage.ListQuery.DefaultSize, new JsonObject { ["minimum"] = 1, ["type"] = "integer" }),
            Item("file_server_root", layout.Root, null),
            Item("file_server_type", "local", new JsonObject { ["type"] = "string" }),
            Item("file_server_url", baseUrl + "/resources", null),
            Item("max_concurrent_workflows", options.MaxConcurrentWorkflows, new JsonObject { ["minimum"] = 1, ["type"] = "integer" }),
        };
        // The engine's retry settings, as a workflow reads them (Cloudify's scope "workflow"); set at manager start.
        var workflow = workflowOptions.Value;
        JsonObject Retries() => new() { ["minimum"] = -1, ["type"] = "integer" };
        var workflowItems = new JsonArray
        {
            Item("subgraph_retries", workflow.SubgraphRetries, Retries(), scope: "workflow"),
            Item("task_retries", workflow.DefaultTaskRetries, Retries(), scope: "workflow"),
            Item("task_retry_interval", (int)workflow.RetryInterval.TotalSeconds, Retries(), scope: "workflow"),
        };
        var scope = request.Query["scope"].LastOrDefault();
        items = scope switch
        {
            null => [.. items.Concat(workflowItems).Select(i => i?.DeepClone())],
            "rest" => items,
            "workflow" => workflowItems,
            _ => [],
        };

        return Listed(request, [.. items.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone())], ["scope"]);
    }

    /// <summary>Stratus has no maintenance mode; it is always deactivated (<c>cfy status</c> asks).</summary>
    private static JsonHttpResult<JsonObject> Maintenance(Caller caller) => TypedResults.Json(new JsonObject
    {
        ["activated_at"] = null,
        ["activation_requested_at"] = null,
        ["remaining_executions"] = null,
        ["requested_by"] = null,
        ["status"] = "deactivated",
    });

    private static JsonHttpResult<JsonObject> ProviderContext(Caller caller) => TypedResults.Json(new JsonObject
    {
        ["context"] = new JsonObject
        {
            ["cloudify"] = new JsonObject
            {
                ["cloudify_agent"] = new JsonObject { ["heartbeat"] = 30, ["log_level"] = "INFO", ["max_workers"] = 5, ["min_workers"] = 2 },
                ["policy_engine"] = new JsonObject { ["start_timeout"] = 30 },
                ["validate_definitions_version"] = false,
            },
        },
        ["id"] = "CONTEXT",
        ["name"] = "provider",
    });

    /// <summary>Every manager whose heartbeat is recent (three report intervals), oldest registration first.</summary>
    private static async Task<JsonHttpResult<JsonObject>> Managers(
        Caller caller, HttpRequest request, IStratusStore store, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var rows = await store.ListManagersAsync(now - TimeSpan.FromHours(1), cancellationToken);
        var live = rows.Where(m => m.LastSeen + TimeSpan.FromSeconds(3 * Math.Max(1, m.StatusReportFrequency)) >= now).ToList();
        var items = live.Select(m => new JsonObject
        {
            ["ca_cert_content"] = null,
            ["distribution"] = m.Distribution,
            ["distro_release"] = null,
            ["edition"] = m.Edition,
            ["fs_sync_node_id"] = null,
            ["hostname"] = m.Hostname,
            ["id"] = m.Id,
            ["last_seen"] = Wire.Timestamp(m.LastSeen),
            ["networks"] = new JsonObject { ["default"] = m.PrivateIp },
            ["private_ip"] = m.PrivateIp,
            ["public_ip"] = m.PublicIp,
            ["status_report_frequency"] = m.StatusReportFrequency,
            ["version"] = m.Version,
            // Stratus's: which event bodies it reads, so agents publish batches only when every manager can read them.
            [LogsEventsWire.Field] = m.EventWire,
        }).ToList();
        return Listed(request, items, []);
    }

    private static JsonHttpResult<JsonObject> Brokers(Caller caller, HttpRequest request, ManagerOptions options)
    {
        // Only where the broker is, never the credentials of its URL.
        var rabbit = options.BrokerUrl is { } url ? new Uri(url) : null;
        var host = rabbit?.Host ?? options.Host;
        return Single(request, new JsonObject
        {
            ["ca_cert_content"] = null,
            ["host"] = host,
            ["is_external"] = rabbit is not null,
            ["management_host"] = host,
            ["name"] = rabbit is null ? "in-process" : "rabbitmq",
            ["networks"] = new JsonObject { ["default"] = host },
            ["params"] = null,
            ["port"] = rabbit is null ? 0 : rabbit.IsDefaultPort || rabbit.Port < 0 ? (rabbit.Scheme == "amqps" ? 5671 : 5672) : rabbit.Port,
        });
    }

    private static JsonHttpResult<JsonObject> DbNodes(Caller caller, HttpRequest request, ManagerOptions options) =>
        Single(request, new JsonObject
        {
            ["host"] = options.StorageProvider == "postgresql" ? "postgresql" : "localhost",
            ["is_external"] = options.StorageProvider == "postgresql",
            ["name"] = options.StorageProvider,
            ["node_id"] = options.StorageProvider,
        });

    private static JsonHttpResult<JsonObject> Single(HttpRequest request, JsonObject item) => Listed(request, [item], []);

    /// <summary>A list built in memory, with Cloudify's list arguments checked (no sort keys; its fields for <c>_include</c>).</summary>
    private static JsonHttpResult<JsonObject> Listed(HttpRequest request, IReadOnlyList<JsonObject> items, string[] filterable)
    {
        var fields = new ResourceFields([], filterable, [.. items.SelectMany(i => i.Select(p => p.Key)).Distinct(StringComparer.Ordinal)]);
        var list = ListQueryParser.Parse(request.Query, fields);
        return TypedResults.Json(ListResponse.Create(ListResponse.PageOf(items, list.Query), i => i, list.Include));
    }
}
