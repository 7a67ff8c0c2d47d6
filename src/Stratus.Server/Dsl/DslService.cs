using System.Text.Json.Nodes;
using Stratus.Dsl;

namespace Stratus.Server.Dsl;

internal sealed class DslService : IDslService
{
    public ParsedBlueprint Parse(
        string mainFilePath, Func<string, string?>? pluginResolver, Func<string, string?>? blueprintResolver, CancellationToken cancellationToken) =>
        new BlueprintParser { PluginResolver = pluginResolver, BlueprintResolver = blueprintResolver }.Parse(mainFilePath, cancellationToken);

    public ValueTask<DeploymentPlan> PrepareAsync(
        JsonObject blueprintPlan, JsonObject? inputs, PlannerOptions options, CancellationToken cancellationToken) =>
        DeploymentPlanner.PrepareAsync(blueprintPlan, inputs, options, cancellationToken);

    public JsonNode? Evaluate(JsonNode? value, IFunctionContext context) => IntrinsicFunctions.Evaluate(value, context);

    public ValueTask<JsonNode?> EvaluateAsync(
        JsonNode? value, IFunctionContext context, ICapabilitySource capabilities, CancellationToken cancellationToken) =>
        IntrinsicFunctions.EvaluateAsync(value, context, capabilities, cancellationToken);

    public ValueTask<JsonNode?> EvaluateForNodeAsync(
        JsonNode? value, string nodeName, IFunctionContext context, ICapabilitySource capabilities, CancellationToken cancellationToken) =>
        IntrinsicFunctions.EvaluateForNodeAsync(value, nodeName, context, capabilities, cancellationToken);

    public JsonNode? EvaluateForNode(JsonNode? value, string nodeName, IFunctionContext context) =>
        IntrinsicFunctions.EvaluateForNode(value, nodeName, context);
}
