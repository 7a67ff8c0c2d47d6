using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>What the evaluator can read: deployment-time hosts know inputs and nodes, runtime hosts the whole model.</summary>
internal interface IFunctionHost
{
    bool CanEvaluate(string function);

    bool TryGetInput(string name, out JsonNode? value);

    /// <summary>The node name a get_property reference (SELF/SOURCE/TARGET/name) designates; null to leave it for later.</summary>
    string? NodeNameOf(string reference, FunctionScope scope, string function);

    JsonObject? GetNodeProperties(string nodeName);

    /// <summary>Functions that need runtime state (get_attribute, get_secret, ...); false leaves the call as written.</summary>
    bool TryRuntime(string function, JsonNode? args, FunctionScope scope, out JsonNode? result);
}
