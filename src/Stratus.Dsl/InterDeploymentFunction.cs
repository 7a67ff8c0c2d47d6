using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>
/// One use of a dependency-creating function (<c>get_capability</c>) in a deployment plan, as Cloudify's
/// <c>inter_deployment_functions</c> lists it: where it is (<c>nodes.app.properties.db.get_capability</c>), the target
/// deployment when written literally, otherwise the function naming it and the instance context to evaluate that in.
/// </summary>
public sealed record InterDeploymentFunction(string FunctionIdentifier, string? TargetDeploymentId, JsonNode? TargetFunction, JsonObject Context);
