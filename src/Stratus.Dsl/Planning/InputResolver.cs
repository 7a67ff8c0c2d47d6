using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl.Planning;

/// <summary>
/// Checks deployment inputs against the blueprint's input definitions and completes them with defaults, in
/// Cloudify's order: the manager's request check (missing, then unknown names), then per input in definition order
/// the auto-correction, the constraints (object types asked of the manager) and the type / data-type schema.
/// Values stay as given: functions in them are evaluated where they are used, as Cloudify stores deployment inputs.
/// </summary>
internal sealed class InputResolver(JsonObject definitions, IReadOnlyDictionary<string, JsonObject> dataTypes, PlannerOptions options)
{
    private static readonly string[] ObjectTypes =
    [
        "blueprint_id", "deployment_id", "capability_value", "scaling_group", "node_id", "node_type", "node_instance", "secret_key",
        "operation_name",
    ];

    private static readonly string[] BlueprintOrDeploymentScoped = ["scaling_group", "operation_name", "node_id", "node_type"];

    private static readonly string[] DeploymentScoped = ["capability_value", "node_instance"];

    public async Task<JsonObject> ResolveAsync(JsonObject? given, CancellationToken cancellationToken)
    {
        given ??= [];
        CheckNames(given);
        var result = new JsonObject();
        var missing = new List<string>();
        foreach (var (name, definitionNode) in definitions)
        {
            var definition = definitionNode as JsonObject ?? [];
            var type = Text(definition["type"]);
            JsonNode? value;
            if (given.TryGetPropertyValue(name, out var provided))
            {
                value = provided?.DeepClone();
            }
            else if (definition["default"] is { } defaultValue && defaultValue.GetValueKind() != JsonValueKind.Null)
            {
                value = defaultValue.DeepClone();
            }
            else
            {
                // A data type may complete an absent value from its defaults.
                value = TryFromDefaults(type, name);
                if (!IsTruthy(value))
                {
                    if (definition["required"]?.GetValueKind() != JsonValueKind.False)
                    {
                        missing.Add(name);
                    }

                    result[name] = null;
                    continue;
                }
            }

            if (options.AutoCorrectTypes)
            {
                value = InputTypes.Cast(value, type);
            }

            // Cloudify's parser checks defaults against the constraints and, doing so, strips error_message from the
            // stored plan of every input that has a default: only inputs without one report their own message.
            var constraints = InputConstraint.Parse(definition["constraints"] as JsonArray, keepMessages: !definition.ContainsKey("default"));
            await ValidateAsync(name, constraints, value, type, Text(definition["item_type"]), cancellationToken);
            try
            {
                result[name] = InputTypes.Parse(value, type, dataTypes, name, []);
            }
            catch (InputTypes.TypeError ex)
            {
                throw new DeploymentPlanException("deployment_creation_error", $"dsl_parser.exceptions.DSLParsingException: {ex.Message}", ex);
            }
        }

        if (missing.Count > 0)
        {
            throw new DeploymentPlanException(
                "deployment_creation_error",
                $"dsl_parser.exceptions.MissingRequiredInputError: Required inputs {PyList(missing)} were not specified - expected inputs: {PyList(definitions.Select(d => d.Key))}");
        }

        return result;
    }

    /// <summary>The manager's own check before it plans (Deployment._validate_inputs): names only.</summary>
    private void CheckNames(JsonObject given)
    {
        var missing = definitions
            .Where(d => !given.ContainsKey(d.Key) && d.Value is JsonObject def && !def.ContainsKey("default")
                && def["required"]?.GetValueKind() != JsonValueKind.False)
            .Select(d => d.Key)
            .ToList();
        if (missing.Count > 0)
        {
            throw new DeploymentPlanException("missing_required_deployment_input_error", $"missing inputs: {string.Join(", ", missing)}");
        }

        var unknown = given.Where(g => !definitions.ContainsKey(g.Key)).Select(g => g.Key).ToList();
        if (unknown.Count > 0)
        {
            throw new DeploymentPlanException(
                "unknown_deployment_input_error", $"Cannot create deployment - unknown inputs: {string.Join(", ", unknown)}");
        }
    }

    private JsonNode? TryFromDefaults(string? type, string name)
    {
        try
        {
            return InputTypes.Parse(new JsonObject(), type, dataTypes, name, []);
        }
        catch (InputTypes.TypeError)
        {
            return null;
        }
    }

    /// <summary>Cloudify's validate_input_value: a list with an item_type is checked item by item.</summary>
    private async Task ValidateAsync(
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
                throw new DeploymentPlanException(
                    "deployment_creation_error",
                    $"dsl_parser.exceptions.DSLParsingLogicException: Property type validation failed in '{name}': the defined type is '{itemType}', yet it was assigned with the value '{Python.Str(item)}'");
            }

            await ValidateOneAsync(name, constraints, item, itemType, cancellationToken);
        }
    }

    private async Task ValidateOneAsync(string name, List<InputConstraint> constraints, JsonNode? value, string? type, CancellationToken cancellationToken)
    {
        if (constraints.Count > 0 && IntrinsicFunctions.IsFunction(value))
        {
            throw new DeploymentPlanException(
                "deployment_creation_error",
                $"dsl_parser.exceptions.DSLParsingException: Input value {Python.Str(value)}, of input {name}, cannot contain an intrinsic function and also have constraints.");
        }

        var named = constraints.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (type is not null && Array.IndexOf(ObjectTypes, type) >= 0)
        {
            var lookup = options.ValueLookup
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

            var lookup = options.ValueLookup
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
        _ => throw new DeploymentPlanException(
            "deployment_creation_error", $"TypeError: '{PyValue.TypeName(value)}' object is not iterable"),
    };

    private static bool IsTruthy(JsonNode? value) => value switch
    {
        null => false,
        JsonObject obj => obj.Count > 0,
        JsonArray array => array.Count > 0,
        _ => value.GetValueKind() switch
        {
            JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.String => value.GetValue<string>().Length > 0,
            JsonValueKind.Number => value.ToJsonString().Trim('-', '0', '.') is { Length: > 0 } digits && digits.Any(c => c is >= '1' and <= '9'),
            _ => true,
        },
    };

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static string PyList(IEnumerable<string> items) => $"[{string.Join(", ", items.Select(i => Python.Repr(i)))}]";
}
