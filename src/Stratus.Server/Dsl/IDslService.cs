using System.Text.Json.Nodes;
using Stratus.Dsl;

namespace Stratus.Server.Dsl;

/// <summary>The DSL operations the REST service needs; one seam so endpoint tests can run without a full parser.</summary>
internal interface IDslService
{
    ParsedBlueprint Parse(string mainFilePath, CancellationToken cancellationToken);

    DeploymentPlan Prepare(JsonObject blueprintPlan, JsonObject? inputs);

    JsonNode? Evaluate(JsonNode? value, IFunctionContext context);
}
