using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Server.Auth;
using Stratus.Server.Dsl;
using Stratus.Server.Http;
using Stratus.Server.Secrets;
using Stratus.Storage;

namespace Stratus.Server.Deployments;

/// <summary>
/// <c>POST /evaluate/functions</c>: what operations call before they run (and Cloudify's own workflows for
/// deployment settings and input constraints) to evaluate intrinsic functions against a deployment.
/// </summary>
internal static class EvaluateEndpoints
{
    public static RouteGroupBuilder MapEvaluate(this RouteGroupBuilder api)
    {
        api.MapPost("/evaluate/functions", EvaluateAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> EvaluateAsync(
        Caller caller, HttpRequest request, IStratusStore store, IDslService dsl, ManagerOptions options, SecretService secrets, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        if (!body.TryGetPropertyValue("deployment_id", out var deploymentNode))
        {
            throw StratusException.BadParameters("Missing deployment_id in json request body");
        }

        if (!body.TryGetPropertyValue("payload", out var payloadNode))
        {
            throw StratusException.BadParameters("Missing payload in json request body");
        }

        var context = body.TryGetPropertyValue("context", out var contextNode) ? contextNode : new JsonObject();
        RequireDict("context", context);
        RequireDict("payload", payloadNode);
        var deploymentId = deploymentNode?.GetValueKind() == JsonValueKind.String ? deploymentNode.GetValue<string>() : deploymentNode?.ToJsonString() ?? "None";
        var deployment = caller.Visible(await store.GetDeploymentAsync(caller.Tenant, deploymentId, cancellationToken))
            ?? throw ResourceIds.NotFound("Deployment", deploymentId);

        // Cloudify's evaluate_functions: source and target make a relationship scope, self a node-instance scope.
        var scope = context!.AsObject();
        var relationship = scope.ContainsKey("source") && scope.ContainsKey("target");
        var secretCache = secrets.CacheFor(caller);
        var functions = await DeploymentReads.FunctionContextAsync(
            store,
            deployment,
            relationship ? null : Text(scope["self"]),
            relationship ? Text(scope["source"]) : null,
            relationship ? Text(scope["target"]) : null,
            secretCache,
            cancellationToken);
        var payload = new JsonObject();
        var capabilities = StoredCapabilities.For(store, caller, secretCache);
        foreach (var (key, value) in payloadNode!.AsObject())
        {
            payload[key] = await dsl.EvaluateAsync(value, functions, capabilities, cancellationToken);
        }

        return TypedResults.Json(new JsonObject { ["deployment_id"] = deploymentId, ["payload"] = payload });
    }

    private static void RequireDict(string name, JsonNode? value)
    {
        if (value is not JsonObject)
        {
            var actual = value?.GetValueKind() switch
            {
                null or JsonValueKind.Null => "NoneType",
                JsonValueKind.Array => "list",
                JsonValueKind.String => "str",
                JsonValueKind.True or JsonValueKind.False => "bool",
                _ => "int",
            };
            throw StratusException.BadParameters($"{name} parameter is expected to be of type dict but is of type {actual}");
        }
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
