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
        var types = dataTypes.Where(kv => kv.Value is JsonObject).ToDictionary(kv => kv.Key, kv => kv.Value!.AsObject(), StringComparer.Ordinal);
        var expected = string.Join(", ", definitions.Select(d => $"'{d.Key}'"));
        var missing = new List<string>();
        var result = new JsonObject();
        // Like Cloudify, inputs are checked in order and the missing ones are reported after all given ones passed.
        foreach (var (name, defNode) in definitions)
        {
            var def = defNode as JsonObject ?? [];
            var type = def["type"]?.GetValueKind() == JsonValueKind.String ? def["type"]!.GetValue<string>() : null;
            JsonNode? value;
            if (given.TryGetPropertyValue(name, out var provided))
            {
                value = provided?.DeepClone();
            }
            else if (def["default"] is { } defaultValue)
            {
                value = defaultValue.DeepClone();
            }
            else
            {
                // A data type whose properties all have defaults needs no value.
                value = DataTypeDefaults(type, types, name);
                if (value is null)
                {
                    if (def["required"]?.GetValueKind() != JsonValueKind.False)
                    {
                        missing.Add(name);
                    }

                    result[name] = null;
                    continue;
                }
            }

            result[name] = Check(name, def, type, value, types);
        }

        if (missing.Count > 0)
        {
            throw new DeploymentPlanException(
                "missing_required_deployment_input_error",
                $"Required inputs [{string.Join(", ", missing.Select(m => $"'{m}'"))}] were not specified - expected inputs: [{expected}]");
        }

        var unknown = given.Where(g => !definitions.ContainsKey(g.Key)).Select(g => $"'{g.Key}'").ToList();
        if (unknown.Count > 0)
        {
            throw new DeploymentPlanException(
                "unknown_deployment_input_error", $"Unknown inputs [{string.Join(", ", unknown)}] specified - expected inputs: [{expected}]");
        }

        return result;
    }

    private static JsonObject? DataTypeDefaults(string? type, Dictionary<string, JsonObject> types, string name)
    {
        if (type is null || !types.ContainsKey(type))
        {
            return null;
        }

        try
        {
            return ValueTyper.Parse(new JsonObject(), type, types, name, name) is JsonObject { Count: > 0 } filled ? filled : null;
        }
        catch (DslParseException)
        {
            return null;
        }
    }

    /// <summary>
    /// The type, then the constraints (item by item for a typed list). Cloudify checks constraints first, but on a value
    /// of the wrong type its comparisons fail outright; the type error says more.
    /// </summary>
    private static JsonNode? Check(string name, JsonObject def, string? type, JsonNode? value, Dictionary<string, JsonObject> types)
    {
        var constraints = def["constraints"] as JsonArray;
        if (constraints is { Count: > 0 } && IntrinsicFunctions.IsFunction(value))
        {
            throw new DeploymentPlanException(
                "deployment_creation_error",
                $"dsl_parser.exceptions.DSLParsingException: Input value {Python.Str(value)}, of input {name}, cannot contain an intrinsic function and also have constraints.");
        }

        JsonNode? typed;
        try
        {
            typed = ValueTyper.Parse(value, type, types, name, name);
        }
        catch (DslParseException ex)
        {
            throw new DeploymentPlanException("deployment_creation_error", $"dsl_parser.exceptions.DSLParsingException: {ex.Message}", ex);
        }

        try
        {
            if (Constraints.Violation(def, value, name) is { } violation)
            {
                throw new DeploymentPlanException("deployment_creation_error", $"dsl_parser.exceptions.ConstraintException: {violation}");
            }
        }
        catch (DslParseException ex)
        {
            throw new DeploymentPlanException("deployment_creation_error", $"dsl_parser.exceptions.DSLParsingLogicException: {ex.Message}", ex);
        }

        return typed;
    }
}
