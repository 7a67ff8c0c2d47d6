using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Dsl.Planning;

namespace Stratus.Dsl;

/// <summary>
/// Cloudify's <c>constraints.validate_input_value</c> for one value against an input or workflow-parameter
/// definition (<c>type</c>, <c>item_type</c>, <c>constraints</c>), with object types asked of
/// <paramref name="lookup"/>. The manager runs it on execution parameters as well as on deployment inputs.
/// </summary>
public static class InputValidation
{
    /// <summary>
    /// Throws <see cref="DeploymentPlanException"/> (error code <c>constraint_error</c>) whose message is Cloudify's
    /// <c>str()</c> of the failure, without the exception class.
    /// </summary>
    public static async Task ValidateAsync(
        string name, JsonObject definition, JsonNode? value, IInputValueLookup? lookup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var constraints = InputConstraint.Parse(definition["constraints"] as JsonArray, keepMessages: true);
        try
        {
            await new InputValueValidator(lookup).ValidateAsync(
                name, constraints, value, Text(definition["type"]), Text(definition["item_type"]), cancellationToken);
        }
        catch (InputCheckException ex)
        {
            throw new DeploymentPlanException("constraint_error", ex.Message, ex);
        }
    }

    /// <summary>Whether <see cref="ValidateAsync"/> has anything to check: constraints, or a type that names a manager object.</summary>
    public static bool HasChecks(JsonObject definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition["constraints"] is JsonArray { Count: > 0 } || Text(definition["type"]) is { } type && InputValueValidator.IsObjectType(type);
    }

    /// <summary>
    /// The manager's <c>_convert_param_type</c> for execution parameters: Python's <c>int()</c> / <c>float()</c>,
    /// <c>true</c>/<c>false</c> in any case for booleans, strings only for string, lists item by item. Throws
    /// <see cref="FormatException"/> where Python raises (ValueError, or a TypeError the manager would answer with 500).
    /// </summary>
    public static JsonNode? ConvertParameter(JsonNode? value, string type, string? itemType)
    {
        ArgumentNullException.ThrowIfNull(type);
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        switch (type)
        {
            case "list":
                var items = value switch
                {
                    JsonArray array => array.Select(i => i?.DeepClone()),
                    JsonObject obj => obj.Select(kv => (JsonNode?)kv.Key),
                    _ when kind == JsonValueKind.String => value!.GetValue<string>().EnumerateRunes().Select(r => (JsonNode?)r.ToString()),
                    _ => throw new FormatException($"'{PyValue.TypeName(value)}' object is not iterable"),
                };
                return new JsonArray([.. items.Select(i => itemType is null ? i : ConvertParameter(i, itemType, null))]);
            case "integer":
                return kind switch
                {
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    JsonValueKind.Number when PyValue.IsInt(value) => value!.DeepClone(),
                    JsonValueKind.Number => JsonNode.Parse(Math.Truncate(value!.GetValue<double>()).ToString("F0", System.Globalization.CultureInfo.InvariantCulture)),
                    JsonValueKind.String => InputTypes.Cast(value, "integer") is { } cast && cast.GetValueKind() == JsonValueKind.Number
                        ? cast
                        : throw new FormatException(value!.GetValue<string>()),
                    _ => throw new FormatException(Python.Str(value)),
                };
            case "float":
                return kind switch
                {
                    JsonValueKind.True => JsonNode.Parse("1.0"),
                    JsonValueKind.False => JsonNode.Parse("0.0"),
                    JsonValueKind.Number => JsonNode.Parse(Python.Repr(JsonValue.Create(double.Parse(value!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)))),
                    JsonValueKind.String => InputTypes.Cast(value, "float") is { } cast && cast.GetValueKind() == JsonValueKind.Number
                        ? cast
                        : throw new FormatException(value!.GetValue<string>()),
                    _ => throw new FormatException(Python.Str(value)),
                };
            case "boolean":
                return kind switch
                {
                    JsonValueKind.True or JsonValueKind.False => value!.DeepClone(),
                    JsonValueKind.String when value!.GetValue<string>().Equals("true", StringComparison.OrdinalIgnoreCase) => true,
                    JsonValueKind.String when value!.GetValue<string>().Equals("false", StringComparison.OrdinalIgnoreCase) => false,
                    _ => throw new FormatException(Python.Str(value)),
                };
            case "string":
                return kind == JsonValueKind.String ? value!.DeepClone() : throw new FormatException(Python.Str(value));
            default:
                return value?.DeepClone();
        }
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
