using System.Text.Json.Nodes;

namespace Stratus.Dsl.Planning;

/// <summary>Deployment-time (hybrid) evaluation: inputs and node properties.</summary>
internal sealed class DeploymentFunctionHost(JsonObject inputs, IReadOnlyDictionary<string, JsonObject> nodes) : IFunctionHost
{
    public bool CanEvaluate(string function) => true;

    public bool TryGetInput(string name, out JsonNode? value) => inputs.TryGetPropertyValue(name, out value);

    public string? NodeNameOf(string reference, FunctionScope scope, string function) => reference switch
    {
        "SELF" => scope.Self ?? throw new FunctionException(function, $"SELF cannot be used with {function} function in {scope.Where}"),
        "SOURCE" => scope.Source ?? throw new FunctionException(function, $"SOURCE cannot be used with {function} function in {scope.Where}"),
        "TARGET" => scope.Target ?? throw new FunctionException(function, $"TARGET cannot be used with {function} function in {scope.Where}"),
        _ => reference,
    };

    public JsonObject? GetNodeProperties(string nodeName) =>
        nodes.TryGetValue(nodeName, out var node) ? node["properties"] as JsonObject : null;

    /// <summary>Runtime functions (get_attribute, get_secret, ...) stay as written in the deployment plan.</summary>
    public bool TryRuntime(string function, JsonNode? args, FunctionScope scope, out JsonNode? result)
    {
        result = null;
        return false;
    }
}
