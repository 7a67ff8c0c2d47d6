using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>Input constraints (Cloudify's constraints module): definition checks at parse, predicates at deployment.</summary>
internal static class Constraints
{
    private static readonly string[] Known =
    [
        "equal", "greater_than", "greater_or_equal", "less_than", "less_or_equal", "in_range", "valid_values", "length",
        "min_length", "max_length", "pattern", "filter_id", "labels", "tenants", "name_pattern", "deployment_id",
    ];

    public static void ValidateDefinition(YNode node, string inputName)
    {
        foreach (var item in Y.ListOf(node, $"constraints of input '{inputName}'").Items)
        {
            var map = Y.Map(item, $"constraint of input '{inputName}'");
            // More than one key is refused below 1_5 (VersionGates); from 1_5 the first key besides error_message names the operator.
            var operators = map.Entries.Where(e => e.Key.Text != "error_message").ToList();
            if (operators.Count == 0)
            {
                throw map.Mark.Error(103, $"Empty constraint operator name given for input '{inputName}'. Allowed operators: {string.Join(", ", Known)}");
            }

            var (key, arg) = operators[0];
            if (Array.IndexOf(Known, key.Text) < 0)
            {
                throw key.Mark.Error(103, $"No such constraint operator '{key.Text}' (input '{inputName}')");
            }

            var json = arg.ToJson();
            // Cloudify's argument kinds: a number (not a bool), two numbers, a list, a regex, a string or a dict;
            // a function is checked once evaluated.
            var ok = IntrinsicFunctions.IsFunction(json) || key.Text switch
            {
                "in_range" => json is JsonArray { Count: 2 } r && r.All(IsNumber),
                "valid_values" or "labels" or "tenants" => json is JsonArray,
                "pattern" => json?.GetValueKind() == JsonValueKind.String && IsRegex(json.GetValue<string>()),
                "filter_id" or "deployment_id" => json?.GetValueKind() == JsonValueKind.String,
                "name_pattern" => json is JsonObject,
                _ => IsNumber(json),
            };
            if (!ok)
            {
                throw arg.Mark.Error(212, $"Invalid constraint argument for '{key.Text}' of input '{inputName}': {Python.Repr(json)}");
            }
        }
    }

    private static bool IsNumber(JsonNode? n) => n?.GetValueKind() is JsonValueKind.Number;

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// For an input definition: the first violated constraint's message, or null. A list with an item_type has each
    /// item checked against that type (error 105) and against the constraints.
    /// </summary>
    public static string? Violation(JsonObject definition, JsonNode? value, string inputName)
    {
        var constraints = definition["constraints"] as JsonArray;
        if (definition["type"]?.GetValueKind() != JsonValueKind.String || definition["type"]!.GetValue<string>() != "list"
            || definition["item_type"]?.GetValueKind() != JsonValueKind.String || value is not JsonArray items)
        {
            return Violation(constraints, value, inputName);
        }

        var itemType = definition["item_type"]!.GetValue<string>();
        foreach (var item in items)
        {
            if (!ValueTyper.MatchesPrimitive(item, itemType))
            {
                throw new DslParseException(
                    105, $"Property type validation failed in '{inputName}': the defined type is '{itemType}', yet it was assigned with the value '{Python.Str(item)}'");
            }

            if (Violation(constraints, item, inputName) is { } violation)
            {
                return violation;
            }
        }

        return null;
    }

    /// <summary>The first violated constraint's Cloudify message, or null when the value satisfies all.</summary>
    public static string? Violation(JsonArray? constraints, JsonNode? value, string inputName)
    {
        if (constraints is null)
        {
            return null;
        }

        foreach (var constraint in constraints.OfType<JsonObject>())
        {
            // Cloudify takes the operator with dict.popitem(): the last key besides error_message.
            var (name, arg) = constraint.Last(kv => kv.Key != "error_message");
            if (Holds(name, arg, value))
            {
                continue;
            }

            var message = constraint["error_message"] is { } custom
                ? $"is invalid. {Python.Str(custom)}"
                : $"violates constraint {Describe(name, arg)}.";
            return $"Value {Python.Str(value)} of input {inputName} {message}";
        }

        return null;
    }

    private static string Describe(string name, JsonNode? arg) =>
        arg is JsonArray array
            ? $"{name}({string.Join(", ", array.Select(Python.Str))}) operator"
            : $"{name}({Python.Str(arg)}) operator";

    private static bool Holds(string name, JsonNode? arg, JsonNode? value)
    {
        switch (name)
        {
            case "equal":
                return JsonNode.DeepEquals(arg, value) || Compare(value, arg) == 0;
            case "greater_than":
                return Compare(value, arg) > 0;
            case "greater_or_equal":
                return Compare(value, arg) >= 0;
            case "less_than":
                return Compare(value, arg) < 0;
            case "less_or_equal":
                return Compare(value, arg) <= 0;
            case "in_range":
                var range = arg!.AsArray();
                return Compare(value, range[0]) >= 0 && Compare(value, range[1]) <= 0;
            case "valid_values":
                return arg!.AsArray().Any(v => JsonNode.DeepEquals(v, value) || Compare(v, value) == 0);
            case "length" or "min_length" or "max_length":
                var length = Length(value);
                var n = ToDouble(arg!);
                return length is not null && name switch
                {
                    "length" => length == n,
                    "min_length" => length >= n,
                    _ => length <= n,
                };
            case "pattern":
                // Python's re.match: anchored at the start only.
                return value?.GetValueKind() == JsonValueKind.String
                    && Regex.IsMatch(value.GetValue<string>(), $"^(?:{arg!.GetValue<string>()})", RegexOptions.None, TimeSpan.FromSeconds(1));
            default:
                // Manager-data constraints (filter_id, labels, tenants, name_pattern, deployment_id) need the
                // manager's catalogue and are checked by the REST layer.
                return true;
        }
    }

    private static double ToDouble(JsonNode n)
    {
        var v = n.AsValue();
        return v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : v.GetValue<double>();
    }

    private static long? Length(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>().Length,
        JsonValueKind.Array => value.AsArray().Count,
        JsonValueKind.Object => value.AsObject().Count,
        _ => null,
    };

    /// <summary>Compares numbers numerically and strings ordinally; null when incomparable (which fails the predicate).</summary>
    private static int? Compare(JsonNode? a, JsonNode? b)
    {
        var ka = a?.GetValueKind();
        var kb = b?.GetValueKind();
        if (ka == JsonValueKind.Number && kb == JsonValueKind.Number)
        {
            return ToDouble(a!).CompareTo(ToDouble(b!));
        }

        if (ka == JsonValueKind.String && kb == JsonValueKind.String)
        {
            return string.CompareOrdinal(a!.GetValue<string>(), b!.GetValue<string>());
        }

        return null;
    }
}
