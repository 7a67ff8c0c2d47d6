using System.Text.Json.Nodes;
using Stratus.Dsl;

namespace Stratus.Server.Dsl;

/// <summary>The DSL operations the REST service needs; one seam so endpoint tests can run without a full parser.</summary>
internal interface IDslService
{
    /// <summary>
    /// Parses a blueprint; <paramref name="pluginResolver"/> answers <c>plugin:</c> imports with the plugin yaml's path
    /// and <paramref name="blueprintResolver"/> <c>blueprint:&lt;id&gt;</c> imports with the imported blueprint's main
    /// file (null refuses them).
    /// </summary>
    ParsedBlueprint Parse(
        string mainFilePath, Func<string, string?>? pluginResolver, Func<string, string?>? blueprintResolver, CancellationToken cancellationToken);

    ValueTask<DeploymentPlan> PrepareAsync(JsonObject blueprintPlan, JsonObject? inputs, PlannerOptions options, CancellationToken cancellationToken);

    JsonNode? Evaluate(JsonNode? value, IFunctionContext context);

    /// <summary>Evaluates a value owned by a node (its properties), where SELF names that node.</summary>
    /// <summary><see cref="Evaluate"/> with <c>get_capability</c> answered from other deployments.</summary>
    ValueTask<JsonNode?> EvaluateAsync(JsonNode? value, IFunctionContext context, ICapabilitySource capabilities, CancellationToken cancellationToken);

    /// <summary><see cref="EvaluateForNode"/> with <c>get_capability</c> answered from other deployments.</summary>
    ValueTask<JsonNode?> EvaluateForNodeAsync(
        JsonNode? value, string nodeName, IFunctionContext context, ICapabilitySource capabilities, CancellationToken cancellationToken);

    JsonNode? EvaluateForNode(JsonNode? value, string nodeName, IFunctionContext context);
}
