using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>An operation as declared (type or template level), normalized to Cloudify's operation mapping.</summary>
internal sealed record OperationDef(
    string Implementation,
    JsonObject Inputs,
    string? Executor,
    JsonNode? MaxRetries,
    JsonNode? RetryInterval,
    JsonNode? Timeout,
    JsonNode? TimeoutRecoverable,
    Mark Mark)
{
    private static readonly string[] Keys =
        ["implementation", "inputs", "executor", "max_retries", "retry_interval", "timeout", "timeout_recoverable"];

    public bool IsNoOp =>
        Implementation.Length == 0 && Inputs.Count == 0 && Executor is null && MaxRetries is null && RetryInterval is null
        && Timeout is null && TimeoutRecoverable is null;

    public static OperationDef NoOp(Mark mark) => new(string.Empty, [], null, null, null, null, null, mark);

    public static OperationDef Parse(YNode node, string what)
    {
        switch (node)
        {
            case YScalar { IsNull: true }:
                return NoOp(node.Mark);
            case YScalar { Value: string s }:
                return new OperationDef(s, [], null, null, null, null, null, node.Mark);
            case YMap map:
                Y.Keys(map, what, Keys);
                var executor = Y.OptionalString(map, "executor", $"{what} executor");
                if (executor is not null && executor is not ("central_deployment_agent" or "host_agent"))
                {
                    throw map["executor"]!.Mark.Error(
                        28, $"Illegal executor value '{executor}' for {what}; valid values are central_deployment_agent, host_agent");
                }

                var inputs = map["inputs"] is { } inputsNode and not YScalar { IsNull: true }
                    ? (JsonObject)Y.Map(inputsNode, $"{what} inputs").ToJson()!
                    : [];
                return new OperationDef(
                    Y.OptionalString(map, "implementation", $"{what} implementation") ?? string.Empty,
                    inputs,
                    executor,
                    Number(map, "max_retries", what, -1),
                    Number(map, "retry_interval", what, 0),
                    Number(map, "timeout", what, 0),
                    map["timeout_recoverable"] is { } tr and not YScalar { IsNull: true }
                        ? (Y.OptionalBool(map, "timeout_recoverable", $"{what} timeout_recoverable") is { } b ? JsonValue.Create(b) : null)
                        : null,
                    node.Mark);
            default:
                throw node.Mark.Error(1, $"Expected str or dict value for {what} but found {node.KindName}");
        }
    }

    private static JsonNode? Number(YMap map, string key, string what, double min)
    {
        var node = map[key];
        if (node is null or YScalar { IsNull: true })
        {
            return null;
        }

        // max_retries is an integer; retry_interval and timeout may be floats.
        var integerOnly = key == "max_retries";
        if (node is not YScalar { Value: long } && (integerOnly || node is not YScalar { Value: double }))
        {
            throw node.Mark.Error(
                1, $"Expected '{(integerOnly ? "integer" : "integer' or 'float")}' type but found '{Y.UserType(node)}' type ({key} of {what})");
        }

        if (node is YScalar scalar && Convert.ToDouble(scalar.Value, System.Globalization.CultureInfo.InvariantCulture) >= min)
        {
            return scalar.ToJson();
        }

        throw node.Mark.Error(1, $"{key} of {what} must be a number >= {min}, found '{(node as YScalar)?.Text ?? node.KindName}'");
    }

    public JsonObject ToPlan() => new()
    {
        ["implementation"] = Implementation,
        ["inputs"] = Inputs.DeepClone(),
        ["executor"] = Executor,
        ["max_retries"] = MaxRetries?.DeepClone(),
        ["retry_interval"] = RetryInterval?.DeepClone(),
        ["timeout"] = Timeout?.DeepClone(),
        ["timeout_recoverable"] = TimeoutRecoverable?.DeepClone(),
    };
}
