using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Dsl.Parsing;

namespace Stratus.Dsl.Planning;

/// <summary>Checks deployment inputs against the blueprint's input definitions and completes them with defaults.</summary>
internal static class InputResolver
{
    public static JsonObject Resolve(JsonObject definitions, JsonObject? given, JsonObject dataTypes)
    {
        given ??= [];
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

        var types = dataTypes.Where(kv => kv.Value is JsonObject).ToDictionary(kv => kv.Key, kv => kv.Value!.AsObject(), StringComparer.Ordinal);
        var result = new JsonObject();
        foreach (var (name, defNode) in definitions)
        {
            var def = defNode as JsonObject ?? [];
            var type = def["type"]?.GetValueKind() == JsonValueKind.String ? def["type"]!.GetValue<string>() : null;
            JsonNode? value;
            if (given.TryGetPropertyValue(name, out var provided))
            {
                value = provided?.DeepClone();
                if (value?.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Any(c => c > 127))
                {
                    throw new DeploymentPlanException(
                        "deployment_creation_error",
                        $"dsl_parser.exceptions.DSLParsingInputTypeException: Illegal characters in input: {name}. Only valid ascii chars are supported.");
                }
            }
            else
            {
                value = def["default"]?.DeepClone();
            }

            if (value is not null && !IntrinsicFunctions.ContainsFunctions(value))
            {
                try
                {
                    value = ValueTyper.Parse(value, type, types, name, name);
                }
                catch (DslParseException ex)
                {
                    throw new DeploymentPlanException(
                        "deployment_creation_error",
                        $"dsl_parser.exceptions.DSLParsingLogicException: Property type validation failed in '{name}': the defined type is '{type}', yet it was assigned with the value '{Python.Str(value)}'",
                        ex);
                }

                if (Constraints.Violation(def["constraints"] as JsonArray, value, name) is { } violation)
                {
                    throw new DeploymentPlanException("deployment_creation_error", $"dsl_parser.exceptions.ConstraintException: {violation}");
                }
            }

            result[name] = value;
        }

        return result;
    }
}
