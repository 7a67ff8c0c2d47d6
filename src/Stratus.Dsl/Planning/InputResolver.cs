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
    public async Task<JsonObject> ResolveAsync(JsonObject? given, CancellationToken cancellationToken)
    {
        given ??= [];
        var validator = new InputValueValidator(options.ValueLookup);
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
            try
            {
                await validator.ValidateAsync(name, constraints, value, type, Text(definition["item_type"]), cancellationToken);
                result[name] = InputTypes.Parse(value, type, dataTypes, name, []);
            }
            catch (InputCheckException ex)
            {
                throw new DeploymentPlanException("deployment_creation_error", ex.Traceback, ex);
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
