using System.Text.Json.Nodes;
using Stratus.Dsl;

namespace Stratus.Server.Dsl;

/// <summary>The DSL operations the REST service needs; one seam so endpoint tests can run without a full parser.</summary>
internal interface IDslService
{
    /// <summary>
    /// Parses a blueprint; <paramref name="blueprintResolver"/> answers <c>blueprint:&lt;id&gt;</c> imports with the
    /// imported blueprint's main file (null refuses them).
    /// </summary>
    ParsedBlueprint Parse(string mainFilePath, Func<string, string?>? blueprintResolver, CancellationToken cancellationToken);

    DeploymentPlan Prepare(JsonObject blueprintPlan, JsonObject? inputs);

    JsonNode? Evaluate(JsonNode? value, IFunctionContext context);
}
