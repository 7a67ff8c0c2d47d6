using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Stratus.Dsl.Planning;

/// <summary>One constraint of an input (Cloudify's <c>constraints.Constraint</c>): operator, argument, optional 1_5 error_message.</summary>
internal sealed class InputConstraint
{
    /// <summary>Constraints that ask the manager rather than look at the value, with the types they are defined for.</summary>
    private static readonly Dictionary<string, string[]> DataBasedTypes = new(StringComparer.Ordinal)
    {
        ["valid_values"] = ["capability_value", "scaling_group", "node_id", "node_type", "node_instance", "operation_name"],
        ["filter_id"] = ["deployment_id", "blueprint_id"],
        ["labels"] = ["deployment_id", "blueprint_id"],
        ["tenants"] = ["deployment_id", "blueprint_id"],
        ["name_pattern"] =
        [
            "deployment_id", "blueprint_id", "secret_key", "capability_value", "scaling_group", "node_id", "node_type",
            "node_instance", "operation_name",
        ],
        ["deployment_id"] = ["capability_value", "scaling_group", "node_id", "node_type", "node_instance", "operation_name"],
    };

    private InputConstraint(string name, JsonNode? argument, JsonNode? errorMessage)
    {
        Name = name;
        Argument = argument;
        ErrorMessage = errorMessage;
    }

    public string Name { get; }

    public JsonNode? Argument { get; }

    public JsonNode? ErrorMessage { get; }

    public static List<InputConstraint> Parse(JsonArray? constraints, bool keepMessages) =>
        [.. (constraints ?? []).OfType<JsonObject>().Select(c =>
        {
            var (name, argument) = c.First(kv => kv.Key != "error_message");
            return new InputConstraint(name, argument, keepMessages ? c["error_message"] : null);
        })];

    /// <summary>
    /// Whether the constraint is answered by the manager: valid_values only for object types, the others always
    /// (so that <see cref="QueryKey"/> reports them on types they are not defined for).
    /// </summary>
    public bool IsDataBased(string? type) =>
        DataBasedTypes.TryGetValue(Name, out var types) && (Name != "valid_values" || Array.IndexOf(types, type) >= 0);

    /// <summary>Cloudify's query parameter for this constraint on <paramref name="type"/>.</summary>
    public string QueryKey(string? type)
    {
        if (!DataBasedTypes.TryGetValue(Name, out var types) || Array.IndexOf(types, type) < 0)
        {
            throw Violation($"'{Name}' constraint is not defined for '{Python.Str(type)}' data types");
        }

        return Name != "name_pattern"
            ? Name
            : type switch
            {
                "deployment_id" => "display_name_specs",
                "secret_key" => "key_specs",
                "node_type" => "type_specs",
                "capability_value" => "capability_key_specs",
                "scaling_group" => "scaling_group_name_specs",
                "operation_name" => "operation_name_specs",
                _ => "id_specs",
            };
    }

    /// <summary>The predicate (Python semantics); an <see cref="InputCheckException"/> where Python raises TypeError.</summary>
    public bool Holds(JsonNode? value)
    {
        var notComparable = $"Value is not comparable, the Constraint argument type  is '{PyValue.TypeName(Argument)}' but value type is '{PyValue.TypeName(value)}'.";
        switch (Name)
        {
            case "equal":
                return PyValue.Eq(value, Argument);
            case "greater_than":
                return (PyValue.Compare(value, Argument) ?? throw Violation(notComparable)) > 0;
            case "greater_or_equal":
                return (PyValue.Compare(value, Argument) ?? throw Violation(notComparable)) >= 0;
            case "less_than":
                return (PyValue.Compare(value, Argument) ?? throw Violation(notComparable)) < 0;
            case "less_or_equal":
                return (PyValue.Compare(value, Argument) ?? throw Violation(notComparable)) <= 0;
            case "in_range":
                var range = Argument as JsonArray ?? [];
                var low = range.Count > 0 ? range[0] : null;
                var high = range.Count > 1 ? range[1] : null;
                return (PyValue.Compare(low, value) ?? throw Violation(notComparable)) <= 0
                    && (PyValue.Compare(value, high) ?? throw Violation(notComparable)) <= 0;
            case "valid_values":
                return (Argument as JsonArray ?? []).Any(v => PyValue.Eq(v, value));
            case "length" or "min_length" or "max_length":
                var length = PyValue.Length(value)
                    ?? throw Violation($"Value's length could not be computed. Value type is '{PyValue.TypeName(value)}'.");
                var limit = PyValue.Compare(JsonValue.Create(length), Argument) ?? throw Violation(notComparable);
                return Name switch
                {
                    "length" => PyValue.Eq(JsonValue.Create(length), Argument),
                    "min_length" => limit >= 0,
                    _ => limit <= 0,
                };
            case "pattern":
                if (value?.GetValueKind() != JsonValueKind.String)
                {
                    throw Violation($"Value must be of type string, got type '{PyValue.TypeName(value)}'");
                }

                // Python's re.match: anchored at the start only.
                return Regex.IsMatch(value.GetValue<string>(), $@"\A(?:{Python.Str(Argument)})", RegexOptions.None, TimeSpan.FromSeconds(1));
            default:
                return true;
        }
    }

    /// <summary>Cloudify's <c>str(constraint)</c>: <c>in_range(1, 5) operator</c>.</summary>
    public override string ToString() =>
        Argument is JsonArray array
            ? $"{Name}({string.Join(", ", array.Select(Python.Str))}) operator"
            : $"{Name}({Python.Str(Argument)}) operator";

    public static InputCheckException Violation(string message) => new("ConstraintException", message);
}
