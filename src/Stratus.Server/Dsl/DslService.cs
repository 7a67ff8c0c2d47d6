using System.Text.Json.Nodes;
using Stratus.Dsl;

namespace Stratus.Server.Dsl;

internal sealed class DslService : IDslService
{
    private readonly BlueprintParser _parser = new();

    public ParsedBlueprint Parse(string mainFilePath, Func<string, string?>? pluginResolver, CancellationToken cancellationToken) =>
        (pluginResolver is null ? _parser : new BlueprintParser { PluginResolver = pluginResolver }).Parse(mainFilePath, cancellationToken);

    public DeploymentPlan Prepare(JsonObject blueprintPlan, JsonObject? inputs) => DeploymentPlanner.Prepare(blueprintPlan, inputs);

    public JsonNode? Evaluate(JsonNode? value, IFunctionContext context) => IntrinsicFunctions.Evaluate(value, context);
}
