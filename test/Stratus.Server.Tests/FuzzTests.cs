using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>
/// Malformed bodies and queries to every route the server maps (deterministic seed): always a 4xx with an
/// error_code, never a 5xx, and the stored state unchanged. Only /api/v3.1 is sent: /api/v3 maps the same handlers.
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20261126;

    private static readonly string[] ObjectBodies = ["wrong types", "huge number"];

    /// <summary>Field names Cloudify's bodies use; a wrong-typed value for each reaches every body reader.</summary>
    private static readonly string[] Fields =
    [
        "value", "visibility", "update_if_exists", "is_hidden_value", "schema", "blueprint_id", "deployment_id", "inputs",
        "labels", "parameters", "workflow_id", "force", "dry_run", "queue", "allow_custom_parameters", "schedule", "action",
        "status", "error", "version", "runtime_properties", "state", "role", "username", "password", "tenant_name",
        "group_name", "group_names", "key", "description", "expiration_date", "deployment_ids", "new_deployments",
        "filter_id", "deployments_from_group", "dependency_creator", "source_deployment", "target_deployment",
        "target_deployment_func", "external_source", "external_target", "nodes", "modification", "context", "since",
        "until", "recurrence", "count", "weekdays", "enabled", "stop_on_fail", "workflow_id", "execution_arguments",
        "events", "logs", "execution_id", "name", "kind", "agent_name", "parameters", "dsl_version", "created_by",
        "created_at", "display_name", "site_name", "policy", "manager_ips", "tasks", "edges", "graph_id", "operations",
        "resumable", "executor", "instances", "new_status", "scheduled_time", "wait_after_fail", "slip", "frequency",
        "default_inputs", "default_blueprint_id", "delete_deployments", "remove_deployments", "add_deployments",
        "deployment_group_id", "is_system_workflow", "error_traceback", "plan", "main_file_name", "timezone", "add", "remove",
    ];

    [Fact]
    public async Task EveryRoute_AnswersMalformedInputWithA4xxAndAnErrorCode_AndChangesNothing()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var ids = await SeedAsync(manager);
        var routes = RouteCatalog.All(manager).Where(r => !r.Pattern.StartsWith("/api/v3/", StringComparison.Ordinal)).ToList();
        var random = new Random(Seed);
        var failures = new List<string>();
        var before = StoreDump.Of(manager);

        foreach (var route in routes.Where(r => r.Method is "PUT" or "POST" or "PATCH" or "DELETE"))
        {
            var path = route.Path(route.Method == "DELETE" ? "no-such-id" : IdFor(route, ids));
            foreach (var (name, body) in Bodies(random))
            {
                var answer = await SendAsync(manager.Client, route.Method, path, body);
                // An object whose fields a route does not read may be accepted (Cloudify ignores unknown fields), as
                // long as nothing changes; anything that is not a JSON object must be refused.
                Check(failures, $"{route} [{name}]", answer, expect4xx: !ObjectBodies.Contains(name.Split(" #")[0]));
                var after = StoreDump.Of(manager);
                if (after != before)
                {
                    failures.Add($"{route} [{name}]: the stored state changed ({(int)answer.Status} {answer.Body}): {Changed(before, after)}");
                    before = after;
                }
            }
        }

        foreach (var route in routes.Where(r => r.Method == "GET"))
        {
            var path = route.Path(IdFor(route, ids));
            var plain = await SendAsync(manager.Client, "GET", path, null);
            Check(failures, route + " [plain]", plain, expect4xx: false);
            var isList = plain.Status == HttpStatusCode.OK && plain.Body.StartsWith('{')
                && JsonNode.Parse(plain.Body) is JsonObject o && o["items"] is JsonArray && o["metadata"] is JsonObject;
            foreach (var query in Queries(random, isList))
            {
                var answer = await SendAsync(manager.Client, "GET", path + query, null);
                Check(failures, $"{route} [{query}]", answer, expect4xx: isList);
            }
        }

        Assert.Equal(before, StoreDump.Of(manager));
        Assert.True(failures.Count == 0, $"{failures.Count} wrong answers:\n" + string.Join("\n", failures.Take(200)));
    }

    private static void Check(List<string> failures, string what, (HttpStatusCode Status, string Body) answer, bool expect4xx)
    {
        var status = (int)answer.Status;
        string? code = null;
        try
        {
            code = answer.Body.Length > 0 && JsonNode.Parse(answer.Body) is JsonObject o ? o["error_code"]?.GetValue<string>() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: no error code, reported below when one was due.
        }

        if (status >= 500 || (expect4xx && status is < 400 or >= 500) || (status >= 400 && code is null))
        {
            failures.Add($"{what}: {status} {answer.Body[..Math.Min(300, answer.Body.Length)]}");
        }
    }

    private static IEnumerable<(string Name, byte[] Body)> Bodies(Random random)
    {
        yield return ("truncated", "{\"value\": "u8.ToArray());
        yield return ("array", "[]"u8.ToArray());
        yield return ("array of object", "[{\"value\": \"v\"}]"u8.ToArray());
        yield return ("number", "123"u8.ToArray());
        yield return ("string", "\"text\""u8.ToArray());
        yield return ("null", "null"u8.ToArray());
        yield return ("invalid utf-8", [.. "{\"value\": \""u8, 0xff, 0xfe, 0xc0, 0xaf, .. "\"}"u8]);
        yield return ("deep array", Encoding.ASCII.GetBytes(new string('[', 100_000) + new string(']', 100_000)));
        yield return ("deep object", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)));
        yield return ("huge number", Encoding.ASCII.GetBytes("{" + string.Join(",", Fields.Distinct().Select(f => $"\"{f}\": 1e99999")) + "}"));
        for (var variant = 0; variant < 6; variant++)
        {
            var body = new JsonObject();
            foreach (var field in Fields.Distinct())
            {
                body[field] = WrongValue(random);
            }

            yield return ("wrong types #" + variant, Encoding.UTF8.GetBytes(body.ToJsonString()));
        }
    }

    private static JsonNode? WrongValue(Random random) => random.Next(9) switch
    {
        0 => JsonValue.Create(random.Next() * (random.Next(2) == 0 ? -1L : 1L) * 1_000_000_000_000L),
        1 => JsonValue.Create(random.NextDouble() * 1e300),
        2 => new JsonArray(JsonValue.Create(1), new JsonObject { ["x"] = new JsonArray() }),
        3 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray(JsonValue.Create(true)) } },
        4 => JsonValue.Create(random.Next(2) == 0),
        5 => JsonValue.Create(new string('\u202e', 3) + "\u0000" + new string('x', random.Next(1, 300))),
        6 => JsonValue.Create(-1),
        7 => new JsonArray(),
        _ => JsonValue.Create(decimal.MaxValue),
    };

    private static IEnumerable<string> Queries(Random random, bool isList)
    {
        if (!isList)
        {
            yield return "?_include=no_such_field&_size=-1";
            yield break;
        }

        yield return "?_size=-1";
        yield return "?_size=abc";
        yield return "?_size=99999999999999999999999";
        yield return "?_offset=-5";
        yield return "?_offset=1e3";
        yield return "?_offset=99999999999999999999999";
        yield return "?_size=10&_size=-1";
        yield return "?_sort=no_such_field";
        yield return "?_sort=--id";
        yield return "?_sort=" + Uri.EscapeDataString("id; DROP TABLE blueprints");
        yield return "?_include=no_such_field";
        yield return "?_include=id,,no_such_field";
        yield return "?no_such_filter_" + random.Next(1000) + "=1";
        yield return "?_all_tenants=maybe";
        yield return "?_get_all_results=perhaps";
        yield return "?_range=" + Uri.EscapeDataString("no_such_field,a,b");
        yield return "?_size=" + Uri.EscapeDataString("\u0000");
    }

    private static string IdFor(MappedRoute route, IReadOnlyDictionary<string, string> ids)
    {
        var parts = route.Pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = parts.Length > 2 && parts[0] == "api" ? parts[2] : parts[0];
        return ids.GetValueOrDefault(resource, "no-such-id");
    }

    private static async Task<Dictionary<string, string>> SeedAsync(ManagerFixture manager)
    {
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "d1");
        var secret = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/s1", new JsonObject { ["value"] = "v1" });
        Assert.Equal(HttpStatusCode.OK, secret.Status);
        var group = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployment-groups/g1", new JsonObject { ["deployment_ids"] = new JsonArray("d1") });
        Assert.Equal(HttpStatusCode.OK, group.Status);
        await manager.AddUserAsync("fuzz-user", "fuzz-pass");
        var userGroup = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/user-groups", new JsonObject { ["group_name"] = "fuzz-group", ["role"] = "default" });
        Assert.Equal(HttpStatusCode.Created, userGroup.Status);
        var executions = await manager.Client.GetJsonAsync("/api/v3.1/executions?_size=1");
        var instances = await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=d1&_size=1");
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["blueprints"] = "bp",
            ["deployments"] = "d1",
            ["secrets"] = "s1",
            ["deployment-groups"] = "g1",
            ["executions"] = executions.Body!["items"]![0]!["id"]!.GetValue<string>(),
            ["node-instances"] = instances.Body!["items"]![0]!["id"]!.GetValue<string>(),
            ["tenants"] = "default_tenant",
            ["users"] = "fuzz-user",
            ["user-groups"] = "fuzz-group",
        };
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, string method, string path, byte[]? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var text = response.Content.Headers.ContentType?.MediaType == "application/json" ? Encoding.UTF8.GetString(bytes) : $"<{bytes.Length} bytes>";
        return (response.StatusCode, text);
    }

    /// <summary>The rows only one of two dumps has, to name what a request changed.</summary>
    private static string Changed(string before, string after)
    {
        var old = before.Split('\n').ToHashSet(StringComparer.Ordinal);
        var now = after.Split('\n').ToHashSet(StringComparer.Ordinal);
        return string.Join(" | ", old.Except(now).Select(l => "- " + l).Concat(now.Except(old).Select(l => "+ " + l)).Take(6));
    }
}
