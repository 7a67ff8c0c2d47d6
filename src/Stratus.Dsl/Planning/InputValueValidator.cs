using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl.Planning;

/// <summary>
/// Cloudify's <c>constraints.validate_input_value</c> for one value: item types, constraints with Python semantics,
/// and object types asked of the manager. Failures are <see cref="InputCheckException"/>.
/// </summary>
internal sealed class InputValueValidator(IInputValueLookup? valueLookup)
{
    private static readonly string[] ObjectTypes =
    [
        "blueprint_id", "deployment_id", "capability_value", "scaling_group", "node_id", "node_type", "node_instance", "secret_key",
        "operation_name",
    ];

    private static readonly string[] BlueprintOrDeploymentScoped = ["scaling_group", "operation_name", "node_id", "node_type"];

    private static readonly string[] DeploymentScoped = ["capability_value", "node_instance"];

    public static bool IsObjectType(string type) => Array.IndexOf(ObjectTypes, type) >= 0;

    /// <summary>Cloudify's validate_input_value: a list with an item_type is checked item by item.</summary>
    public async Task ValidateAsync(
        string name, List<InputConstraint> constraints, JsonNode? value, string? type, string? itemType, CancellationToken cancellationToken)
    {
        if (type != "list" || itemType is null)
        {
            await ValidateOneAsync(name, constraints, value, type, cancellationToken);
            return;
        }

        foreach (var item in PyIterate(value))
        {
            if (!Parsing.ValueTyper.MatchesPrimitive(item, itemType))
            {
                throw new InputCheckException(
                    "DSLParsingLogicException",
                    $"Property type validation failed in '{name}': the defined type is '{itemType}', yet it was assigned with the value '{Python.Str(item)}'");
            }

            await ValidateOneAsync(name, constraints, item, itemType, cancellationToken);
        }
    }

    private async Task ValidateOneAsync(string name, List<InputConstraint> constraints, JsonNode? value, string? type, CancellationToken cancellationToken)
    {
        if (constraints.Count > 0 && IntrinsicFunctions.IsFunction(value))
        {
            throw new InputCheckException(
                "DSLParsingException",
                $"Input value {Python.Str(value)}, of input {name}, cannot contain an intrinsic function and also have constraints.");
        }

        var named = constraints.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (type is not null && Array.IndexOf(ObjectTypes, type) >= 0)
        {
            var lookup = valueLookup
                ?? throw InputConstraint.Violation("Invalid call to validate_input_value: value_getter not set");
            if (Array.IndexOf(BlueprintOrDeploymentScoped, type) >= 0
                && !lookup.HasDeploymentId && !named.Contains("deployment_id") && !lookup.HasBlueprintId && !named.Contains("blueprint_id"))
            {
                throw InputConstraint.Violation($"Input '{name}' of type '{type}' lacks 'blueprint_id' or 'deployment_id' constraint.");
            }

            if (Array.IndexOf(DeploymentScoped, type) >= 0 && !lookup.HasDeploymentId && !named.Contains("deployment_id"))
            {
                throw InputConstraint.Violation($"Input '{name}' of type '{type}' lacks 'deployment_id' constraint.");
            }

            var scoped = Array.IndexOf(BlueprintOrDeploymentScoped, type) >= 0 || Array.IndexOf(DeploymentScoped, type) >= 0;
            if (!scoped || (!named.Contains("deployment_id") && lookup.HasDeploymentId))
            {
                var matching = await lookup.GetAsync(type, value, new Dictionary<string, JsonNode?>(), cancellationToken);
                if (!matching.Any(v => PyValue.Eq(v, value)))
                {
                    throw InputConstraint.Violation($"Value '{Python.Str(value)}' of '{name}' is not a valid value for data type '{type}'.");
                }
            }
        }

        var dataBased = new List<InputConstraint>();
        foreach (var constraint in constraints)
        {
            if (constraint.IsDataBased(type))
            {
                dataBased.Add(constraint);
                continue;
            }

            if (!constraint.Holds(value))
            {
                var message = constraint.ErrorMessage is { } custom ? $"is invalid. {Python.Str(custom)}" : $"violates constraint {constraint}.";
                throw InputConstraint.Violation($"Value {Python.Str(value)} of input {name} {message}");
            }
        }

        if ((type is not null && Array.IndexOf(DeploymentScoped, type) >= 0) || dataBased.Count > 0)
        {
            var query = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var constraint in dataBased)
            {
                query[constraint.QueryKey(type)] = constraint.Argument?.DeepClone();
            }

            var lookup = valueLookup
                ?? throw InputConstraint.Violation("Invalid call to validate_input_value: value_getter not set");
            var matching = await lookup.GetAsync(type!, value, query, cancellationToken);
            if (!matching.Any(v => PyValue.Eq(v, value)))
            {
                throw InputConstraint.Violation(
                    $"Value '{Python.Str(value)}' of input '{name}' does not match any relevant entity or violates at least one of the constraints: {string.Join(", ", dataBased)}.");
            }
        }
    }

    /// <summary>Python's iteration of a value: list items, dict keys, string characters; anything else is a TypeError.</summary>
    private static IEnumerable<JsonNode?> PyIterate(JsonNode? value) => value switch
    {
        JsonArray array => array,
        JsonObject obj => obj.Select(kv => (JsonNode?)kv.Key),
        _ when value?.GetValueKind() == JsonValueKind.String =>
            value.GetValue<string>().EnumerateRunes().Select(r => (JsonNode?)r.ToString()),
        _ => throw new InputCheckException("TypeError", $"'{PyValue.TypeName(value)}' object is not iterable"),
    };

}
