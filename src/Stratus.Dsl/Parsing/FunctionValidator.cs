using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>
/// Parse-time checks of intrinsic functions (Cloudify's validate_functions): references to unknown nodes, SELF/SOURCE/
/// TARGET used out of scope, get_property paths that cannot exist, and functions newer than the DSL version. These
/// are not DSL-coded errors in Cloudify; they carry code 0.
/// </summary>
internal sealed class FunctionValidator(JsonObject plan, BlueprintSource source, BuildErrors errors)
{
    private readonly Dictionary<string, JsonObject> _nodes = plan["nodes"]!.AsArray()
        .Select(n => n!.AsObject()).ToDictionary(n => n["id"]!.GetValue<string>(), StringComparer.Ordinal);

    private enum Scope
    {
        Node,
        Relationship,
        Output,
    }

    public void Validate()
    {
        foreach (var (name, node) in _nodes)
        {
            errors.Run("node_templates", name, () => ValidateNode(name, node));
        }

        foreach (var section in new[] { "outputs", "capabilities" })
        {
            foreach (var (name, item) in plan[section]!.AsObject())
            {
                var mark = source.Find(section, name)?.Key.Mark ?? Mark.None;
                errors.Run(section, name, () => Walk(item?["value"], Scope.Output, null, $"{section}.{name}.value", mark));
            }
        }

        foreach (var (name, input) in plan["inputs"]!.AsObject())
        {
            var mark = source.Find("inputs", name)?.Key.Mark ?? Mark.None;
            errors.Run("inputs", name, () => Walk(input?["default"], Scope.Output, null, $"inputs.{name}.default", mark));
        }

        var settingsMark = source.DeploymentSettings?.Mark ?? Mark.None;
        errors.Run("deployment_settings", string.Empty, () => Walk(plan["deployment_settings"], Scope.Output, null, "deployment_settings", settingsMark));
        errors.Run("labels", string.Empty, () => Walk(plan["labels"], Scope.Output, null, "labels", Mark.None));
    }

    private void ValidateNode(string name, JsonObject node)
    {
        var mark = source.Find("node_templates", name)?.Key.Mark ?? Mark.None;
        Walk(node["properties"], Scope.Node, name, $"nodes.{name}.properties", mark);
        foreach (var (opName, op) in node["operations"]!.AsObject())
        {
            Walk(op?["inputs"], Scope.Node, name, $"nodes.{name}.operations.{opName}.inputs", mark);
        }

        foreach (var rel in node["relationships"]!.AsArray())
        {
            foreach (var side in new[] { "source_operations", "target_operations" })
            {
                foreach (var (opName, op) in rel![side]!.AsObject())
                {
                    Walk(op?["inputs"], Scope.Relationship, name, $"nodes.{name}.relationship.{opName}.inputs", mark);
                }
            }
        }
    }

    private void Walk(JsonNode? value, Scope scope, string? self, string path, Mark mark)
    {
        switch (value)
        {
            case JsonObject obj:
                if (IntrinsicFunctions.FunctionName(obj) is { } name)
                {
                    Check(name, obj[name], scope, self, path, mark);
                    Walk(obj[name], scope, self, path, mark);
                    return;
                }

                foreach (var (key, item) in obj)
                {
                    Walk(item, scope, self, $"{path}.{key}", mark);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item, scope, self, path, mark);
                }

                break;
        }
    }

    private void Check(string function, JsonNode? args, Scope scope, string? self, string path, Mark mark)
    {
        if (function is "get_attribute" or "get_property" && (args is not JsonArray { Count: >= 2 } || !ValidPathArgs(args, minimum: 2)))
        {
            throw mark.Error(0, $"Illegal arguments passed to {function} function. Expected: [ node_name\\function, attribute_name\\function [, nested-attribute-1\\function, ... ] but got: {Python.Str(args)}.");
        }

        switch (function)
        {
            case "concat" when !source.Version.AtLeast(1, 1):
            case "merge" when !source.Version.AtLeast(1, 3):
                var needed = function == "concat" ? "1_1" : "1_3";
                throw mark.Error(0, $"Unable to validate {function} function: Using {function} requires using dsl version {needed} or greater, but found: {source.Version.Raw} in {path}.");
            case "get_attribute":
                if (args is JsonArray { Count: > 0 } a && Literal(a[0]) is { } reference)
                {
                    CheckReference(function, reference, scope, path, mark);
                }

                break;
            case "get_property":
                if (args is JsonArray { Count: > 1 } p && p.All(x => !IntrinsicFunctions.ContainsFunctions(x)) && Literal(p[0]) is { } node)
                {
                    CheckReference(function, node, scope, path, mark);
                    var target = node switch { "SELF" => self, "SOURCE" or "TARGET" => null, _ => node };
                    if (target is not null)
                    {
                        CheckPropertyPath(target, p.Skip(1).ToList(), path, mark);
                    }
                }

                break;
            case "get_input" when !ValidPathArgs(args, minimum: 1):
                throw mark.Error(0, $"Illegal argument(s) passed to get_input function. Expected either a string, or a function, or a list [input_name\\function [, key1\\index1\\function [,...]]] but got {Python.Str(args)}");
            case "get_secret" when !ValidPathArgs(args, minimum: args is JsonArray ? 2 : 1):
                throw mark.Error(0, $"Unable to validate `get_secret` function argument should be a list with at least 2 elements, a string, or a dict (a function). Instead it is {Python.Str(args)}");
            case "concat" or "merge" when args is not JsonArray:
                throw mark.Error(0, $"Illegal arguments passed to {function} function. Expected: [arg1\\function1, arg2\\function2, ...]but got: {Python.Str(args)}.");
            case "string_lower" or "string_upper" when args is JsonArray { Count: not 1 }:
                throw mark.Error(0, $"Unable to validate {function} function: should be called with exactly one parameter");
            case "string_find" when args is not JsonArray { Count: 2 }:
                throw mark.Error(0, "Unable to validate string_find function: should be called with exactly two parameters");
            case "string_replace" when args is not JsonArray { Count: 3 or 4 }:
                throw mark.Error(0, "Unable to validate string_replace function: should be called with three or four parameters");
            case "string_replace" when args is JsonArray { Count: 4 } r && !IsIntOrFunction(r[3]):
                throw mark.Error(0, $"Unable to validate string_replace function: argument `count` should be an int but is {Python.Repr(r[3])}");
            case "string_split" when args is JsonArray { Count: 3 } s && !IsIntOrFunction(s[2]):
                throw mark.Error(0, $"Unable to validate string_split function: argument `index` should be an int but is {Python.Repr(s[2])}");
            case "get_label" when args is JsonArray { Count: not 2 } || !(args is JsonArray or JsonObject || args?.GetValueKind() == JsonValueKind.String):
                throw mark.Error(0, $"Unable to validate `get_label` function: its argument should be a label key, a list of 2 elements [label key, index of its values] or a function, not the {Python.TypeName(args)} {Python.Str(args)}");
            case "get_label" when args is JsonArray { Count: 2 } l && !IsIntOrFunction(l[1])
                && !(l[1]?.GetValueKind() == JsonValueKind.String && long.TryParse(l[1]!.GetValue<string>(), out _)):
                throw mark.Error(0, $"Unable to validate `get_label` function: the index of the label's values should be a number (in string or int form), not {Python.Str(l[1])}");
        }
    }

    /// <summary>A string, a function, or a list of strings/ints/functions (at least <paramref name="minimum"/>, the first not an int).</summary>
    private static bool ValidPathArgs(JsonNode? args, int minimum)
    {
        if (IntrinsicFunctions.IsFunction(args) || args?.GetValueKind() == JsonValueKind.String)
        {
            return minimum <= 1;
        }

        return args is JsonArray list && list.Count >= minimum
            && list.All(x => IntrinsicFunctions.IsFunction(x) || x?.GetValueKind() is JsonValueKind.String or JsonValueKind.Number || x is JsonArray)
            && list[0]?.GetValueKind() != JsonValueKind.Number;
    }

    private static bool IsIntOrFunction(JsonNode? value) =>
        IntrinsicFunctions.IsFunction(value) || (value is JsonValue v && v.TryGetValue<long>(out _));

    private static string? Literal(JsonNode? value) =>
        value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private void CheckReference(string function, string reference, Scope scope, string path, Mark mark)
    {
        var invalid = (reference, scope) switch
        {
            ("SELF", Scope.Relationship or Scope.Output) => true,
            ("SOURCE" or "TARGET", Scope.Node or Scope.Output) => true,
            _ => false,
        };
        if (invalid)
        {
            throw mark.Error(0, $"{reference} cannot be used with {function} function in {path}");
        }

        if (reference is not ("SELF" or "SOURCE" or "TARGET") && !_nodes.ContainsKey(reference))
        {
            errors.ThrowIfFailed("node_templates", reference);
            throw mark.Error(0, $"{function} function node reference '{reference}' does not exist.");
        }
    }

    private void CheckPropertyPath(string nodeName, List<JsonNode?> path, string where, Mark mark)
    {
        JsonNode? current = _nodes[nodeName]["properties"];
        var walked = new List<string>();
        foreach (var step in path.SelectMany(s => s is JsonArray nested ? nested.ToList() : [s]))
        {
            if (IntrinsicFunctions.IsFunction(current))
            {
                return;
            }

            walked.Add(Python.Str(step));
            if (FunctionEvaluator.Step(current, step) is not (true, var next))
            {
                throw mark.Error(
                    0, $"Unable to evaluate get_property function: Node template property '{nodeName}.properties.{string.Join(".", walked)}' referenced from '{where}' doesn't exist.");
            }

            current = next;
        }
    }
}
