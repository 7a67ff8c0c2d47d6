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

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
