using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>
/// Evaluates intrinsic functions inner-first. The <see cref="IFunctionHost"/> decides what is resolvable now
/// (deployment time: inputs and node properties; runtime: everything the model knows); the rest stays as written.
/// </summary>
internal sealed class FunctionEvaluator(IFunctionHost host)
{
    private const int RecursionLimit = 50;

    public JsonNode? Evaluate(JsonNode? value, FunctionScope scope) => Eval(value, scope, 0);

    private JsonNode? Eval(JsonNode? value, FunctionScope scope, int depth)
    {
        if (depth > RecursionLimit)
        {
            throw new FunctionException("unknown", $"The evaluation of {scope.Where} reached the recursion limit of {RecursionLimit}");
        }

        switch (value)
        {
            case JsonObject obj:
                var name = IntrinsicFunctions.FunctionName(obj);
                if (name is null)
                {
                    var copy = new JsonObject();
                    foreach (var (key, item) in obj)
                    {
                        copy[key] = Eval(item, scope, depth + 1);
                    }

                    return copy;
                }

                var args = Eval(obj[name], scope, depth + 1);
                if (!IntrinsicFunctions.ContainsFunctions(args) && TryApply(name, args, scope, depth, out var result))
                {
                    return result;
                }

                var raw = new JsonObject { [name] = args };
                if (obj["type"] is { } type)
                {
                    raw["type"] = type.DeepClone();
                }

                return raw;
            case JsonArray array:
                var list = new JsonArray();
                foreach (var item in array)
                {
                    list.Add(Eval(item, scope, depth + 1));
                }

                return list;
            default:
                return value?.DeepClone();
        }
    }

    private bool TryApply(string name, JsonNode? args, FunctionScope scope, int depth, out JsonNode? result)
    {
        result = null;
        switch (name)
        {
            case "get_input":
                if (!host.CanEvaluate(name))
                {
                    return false;
                }

                var (inputName, inputPath) = Split(args, name);
                if (!host.TryGetInput(inputName, out var input))
                {
                    throw new FunctionException(name, $"get_input function references an unknown input '{inputName}'.");
                }

                // Deployment inputs are stored as given, so a value may itself hold functions (a default of
                // {concat: ...} or {get_secret: ...}); like Cloudify, they are evaluated where the input is used.
                result = Eval(Navigate(input, inputPath, name, inputName), scope, depth + 1);
                return true;
            case "get_property":
            {
                if (!host.CanEvaluate(name))
                {
                    return false;
                }

                var (reference, path) = Split(args, name);
                var nodeName = host.NodeNameOf(reference, scope, name);
                if (nodeName is null)
                {
                    return false;
                }

                var properties = host.GetNodeProperties(nodeName)
                    ?? throw new FunctionException(name, $"Node template '{nodeName}' referenced from '{scope.Where}' doesn't exist.");
                var current = (JsonNode?)properties;
                var ownerScope = scope with { Self = nodeName, SelfIsNode = true };
                for (var i = 0; i < path.Count; i++)
                {
                    if (i > 0 && IntrinsicFunctions.IsFunction(current))
                    {
                        // The path goes through a value that is itself a function (say get_input of a dict).
                        current = Eval(current, ownerScope, depth + 1);
                        if (IntrinsicFunctions.ContainsFunctions(current))
                        {
                            return false;
                        }
                    }

                    current = Step(current, path[i]) is (true, var next)
                        ? next
                        : throw new FunctionException(
                            name,
                            $"Node template property '{nodeName}.properties.{string.Join(".", path.Take(i + 1).Select(Python.Str))}' referenced from '{scope.Where}' doesn't exist.");
                }

                // A property may itself be a function; it is evaluated in the scope of the node that owns it.
                result = Eval(current?.DeepClone(), ownerScope, depth + 1);
                return !IntrinsicFunctions.ContainsFunctions(result);
            }

            case "concat":
                if (args is not JsonArray parts)
                {
                    throw new FunctionException(name, $"Illegal arguments passed to concat function: {Python.Repr(args)}");
                }

                result = string.Concat(parts.Select(Python.Str));
                return true;
            case "merge":
                if (args is not JsonArray dicts || dicts.Any(d => d is not JsonObject))
                {
                    throw new FunctionException(name, $"Illegal arguments passed to merge function: {Python.Repr(args)}");
                }

                var merged = new JsonObject();
                foreach (var dict in dicts)
                {
                    foreach (var (key, item) in dict!.AsObject())
                    {
                        merged[key] = item?.DeepClone();
                    }
                }

                result = merged;
                return true;
            case "string_lower" or "string_upper":
                var text = args is JsonArray { Count: 1 } one ? Python.Str(one[0]) : Python.Str(args);
                result = name == "string_lower" ? text.ToLowerInvariant() : text.ToUpperInvariant();
                return true;
            case "string_find" when args is JsonArray { Count: 2 } find:
                result = Python.Str(find[0]).IndexOf(Python.Str(find[1]), StringComparison.Ordinal);
                return true;
            case "string_replace" when args is JsonArray { Count: 3 or 4 } replace:
                result = Replace(Python.Str(replace[0]), Python.Str(replace[1]), Python.Str(replace[2]),
                    replace.Count == 4 ? replace[3]!.GetValue<long>() : -1);
                return true;
            case "string_split" when args is JsonArray { Count: 2 or 3 } split:
                var pieces = Python.Str(split[0]).Split(Python.Str(split[1]));
                if (split.Count == 3)
                {
                    var index = (int)split[2]!.GetValue<long>();
                    if (index < 0 || index >= pieces.Length)
                    {
                        throw new FunctionException(name, $"Index {index} out of range for {Python.Repr(split[0])}");
                    }

                    result = pieces[index];
                }
                else
                {
                    result = new JsonArray(pieces.Select(p => (JsonNode?)p).ToArray());
                }

                return true;
            case "get_group_capability":
                // The members' capability values are read as stored; functions in them are then evaluated here, in
                // the caller's scope, as Cloudify's evaluation loop does with any function a function returns.
                if (!host.TryRuntime(name, args, scope, out result))
                {
                    return false;
                }

                result = Eval(result, scope, depth + 1);
                return !IntrinsicFunctions.ContainsFunctions(result);
            default:
                return host.TryRuntime(name, args, scope, out result);
        }
    }

    private static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0)
        {
            return s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var sb = new System.Text.StringBuilder();
        var start = 0;
        for (var n = 0; n < count; n++)
        {
            var at = s.IndexOf(old, start, StringComparison.Ordinal);
            if (at < 0 || old.Length == 0)
            {
                break;
            }

            sb.Append(s, start, at - start).Append(replacement);
            start = at + old.Length;
        }

        return sb.Append(s, start, s.Length - start).ToString();
    }

    /// <summary>Splits <c>name</c> or <c>[name, path...]</c> (a nested list path is flattened).</summary>
    internal static (string Head, List<JsonNode?> Path) Split(JsonNode? args, string function)
    {
        if (args?.GetValueKind() == JsonValueKind.String)
        {
            return (args.GetValue<string>(), []);
        }

        if (args is JsonArray { Count: > 0 } array && array[0]?.GetValueKind() == JsonValueKind.String)
        {
            var path = new List<JsonNode?>();
            foreach (var item in array.Skip(1))
            {
                if (item is JsonArray nested)
                {
                    path.AddRange(nested);
                }
                else
                {
                    path.Add(item);
                }
            }

            return (array[0]!.GetValue<string>(), path);
        }

        throw new FunctionException(function, $"Illegal argument(s) passed to {function} function: {Python.Repr(args)}");
    }

    internal static (bool Found, JsonNode? Value) Step(JsonNode? current, JsonNode? key)
    {
        switch (current)
        {
            case JsonObject obj when key?.GetValueKind() == JsonValueKind.String:
                return obj.TryGetPropertyValue(key.GetValue<string>(), out var value) ? (true, value) : (false, null);
            case JsonArray array when key is JsonValue v && v.TryGetValue<long>(out var index):
                if (index < 0)
                {
                    index += array.Count;
                }

                return index >= 0 && index < array.Count ? (true, array[(int)index]) : (false, null);
            default:
                return (false, null);
        }
    }

    private static JsonNode? Navigate(JsonNode? root, List<JsonNode?> path, string function, string head)
    {
        var current = root;
        for (var i = 0; i < path.Count; i++)
        {
            var key = path[i];
            var walked = PythonPath(head, path.Take(i + 1));
            switch (current)
            {
                case JsonObject obj:
                    current = key?.GetValueKind() == JsonValueKind.String && obj.TryGetPropertyValue(key.GetValue<string>(), out var value)
                        ? value
                        : throw FunctionException.InputEvaluation($"Input attribute '{Python.Str(key)}' of '{PythonPath(head, path.Take(i))}', doesn't exist.");
                    break;
                case JsonArray array:
                    if (key is not JsonValue v || !v.TryGetValue<long>(out var index))
                    {
                        throw FunctionException.InputEvaluation(
                            $"Item in index {i} in the get_input arguments list [{head}, {string.Join(", ", path.Select(Python.Repr))}] is expected to be an int but got {Python.TypeName(key)}.");
                    }

                    current = Step(array, key) is (true, var item)
                        ? item
                        : throw FunctionException.InputEvaluation($"List size of '{PythonPath(head, path.Take(i))}' is {array.Count} but index {index} is retrieved.");
                    break;
                default:
                    throw new FunctionException(function, $"Object {walked} has no attribute {Python.Str(key)}");
            }
        }

        return current;
    }

    /// <summary>Cloudify's attribute path in Python syntax: <c>input.key[0].other</c>.</summary>
    private static string PythonPath(string head, IEnumerable<JsonNode?> path) =>
        head + string.Concat(path.Select(p => p is JsonValue v && v.TryGetValue<long>(out var i) ? $"[{i}]" : $".{Python.Str(p)}"));

    internal static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);
}
