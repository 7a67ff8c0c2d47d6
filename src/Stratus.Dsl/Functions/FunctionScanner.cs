using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl;

/// <summary>Parse-time checks and scans of intrinsic functions in blueprint values.</summary>
internal static class FunctionScanner
{
    public static void ValidateInputReferences(YNode node, IReadOnlySet<string> inputs)
    {
        switch (node)
        {
            case YMap map:
                if (map.Count == 1 && map["get_input"] is { } arg)
                {
                    var name = arg switch
                    {
                        YScalar { Value: string s } => s,
                        YSeq { Items.Count: > 0 } seq when seq.Items[0] is YScalar { Value: string s0 } => s0,
                        _ => null,
                    };
                    if (name is not null && !inputs.Contains(name))
                    {
                        throw map.Mark.Error(0, $"get_input function references an unknown input '{name}'.");
                    }
                }

                foreach (var (_, value) in map.Entries)
                {
                    ValidateInputReferences(value, inputs);
                }

                break;
            case YSeq seq:
                foreach (var item in seq.Items)
                {
                    ValidateInputReferences(item, inputs);
                }

                break;
        }
    }

    /// <summary>Names of secrets referenced literally by get_secret in loaded YAML (cheaper than walking the expanded plan).</summary>
    public static void CollectSecretNames(YNode node, SortedSet<string> names)
    {
        switch (node)
        {
            case YMap map:
                if (map.Count == 1 && map["get_secret"] is { } arg)
                {
                    var name = arg is YSeq { Items.Count: > 0 } seq ? seq.Items[0] : arg;
                    if (name is YScalar { Value: string s })
                    {
                        names.Add(s);
                    }
                }

                foreach (var (_, value) in map.Entries)
                {
                    CollectSecretNames(value, names);
                }

                break;
            case YSeq list:
                foreach (var item in list.Items)
                {
                    CollectSecretNames(item, names);
                }

                break;
        }
    }

    /// <summary>Names of secrets referenced literally by get_secret anywhere in the plan.</summary>
    public static IReadOnlyList<string> SecretNames(JsonNode? root)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        Walk(root, names);
        return [.. names];
    }

    private static void Walk(JsonNode? node, SortedSet<string> names)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.Count == 1 && obj["get_secret"] is { } arg)
                {
                    var name = arg is JsonArray { Count: > 0 } a ? a[0] : arg;
                    if (name is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        names.Add(s);
                    }
                }

                foreach (var (_, value) in obj)
                {
                    Walk(value, names);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item, names);
                }

                break;
        }
    }
}
