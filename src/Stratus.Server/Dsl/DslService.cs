using System.Text.Json.Nodes;
using Stratus.Dsl;

namespace Stratus.Server.Dsl;

internal sealed class DslService : IDslService
{
    public ParsedBlueprint Parse(string mainFilePath, Func<string, string?>? blueprintResolver, CancellationToken cancellationToken) =>
        new BlueprintParser { BlueprintResolver = blueprintResolver }.Parse(mainFilePath, cancellationToken);

    public DeploymentPlan Prepare(JsonObject blueprintPlan, JsonObject? inputs) => DeploymentPlanner.Prepare(blueprintPlan, inputs);

    public JsonNode? Evaluate(JsonNode? value, IFunctionContext context) => IntrinsicFunctions.Evaluate(value, context);
}
