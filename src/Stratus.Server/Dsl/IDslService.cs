using System.Text.Json.Nodes;
using Stratus.Dsl;

namespace Stratus.Server.Dsl;

/// <summary>The DSL operations the REST service needs; one seam so endpoint tests can run without a full parser.</summary>
internal interface IDslService
{
    /// <param name="mainFilePath">The blueprint's main file; relative imports resolve beside it.</param>
    /// <param name="pluginResolver">Resolves <c>plugin:</c> imports (spec → plugin yaml path); null refuses them.</param>
    /// <param name="cancellationToken">Stops the parse.</param>
    ParsedBlueprint Parse(string mainFilePath, Func<string, string?>? pluginResolver, CancellationToken cancellationToken);

    DeploymentPlan Prepare(JsonObject blueprintPlan, JsonObject? inputs);

    JsonNode? Evaluate(JsonNode? value, IFunctionContext context);
}
