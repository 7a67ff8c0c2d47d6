using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>Shape checks on loaded YAML that raise Cloudify's format errors (code 1) at the culprit's position.</summary>
internal static class Y
{
    public static YMap Map(YNode? node, string what)
    {
        return node switch
        {
            YMap map => map,
            null => throw new DslParseException(1, $"Expected 'dict' type but found nothing ({what})"),
            _ => throw node.Mark.Error(1, $"Expected 'dict' type but found '{UserType(node)}' type ({what})"),
        };
    }

    /// <summary>A mapping, or an empty one when the value is absent or null.</summary>
    public static YMap MapOrEmpty(YNode? node, string what, Mark fallback)
    {
        if (node is null || node is YScalar { IsNull: true })
        {
            return new YMap(node?.Mark ?? fallback, []);
        }

        return Map(node, what);
    }

    public static YSeq ListOf(YNode node, string what)
    {
        return node as YSeq ?? throw node.Mark.Error(1, $"Expected 'list' type but found '{UserType(node)}' type ({what})");
    }

    public static string String(YNode node, string what)
    {
        return node is YScalar { Value: string s }
            ? s
            : throw node.Mark.Error(1, $"Expected 'string' type but found '{UserType(node)}' type ({what})");
    }

    public static string? OptionalString(YMap map, string key, string what)
    {
        var node = map[key];
        return node is null or YScalar { IsNull: true } ? null : String(node, what);
    }

    public static bool? OptionalBool(YMap map, string key, string what)
    {
        var node = map[key];
        return node switch
        {
            null or YScalar { IsNull: true } => null,
            YScalar { Value: bool b } => b,
            _ => throw node.Mark.Error(1, $"Expected 'boolean' type but found '{UserType(node)}' type ({what})"),
        };
    }

    /// <summary>The type names Cloudify's format errors use: string, integer, float, boolean, dict, list.</summary>
    public static string UserType(YNode node) => node.KindName switch
    {
        "str" => "string",
        "int" => "integer",
        "bool" => "boolean",
        var other => other,
    };

    public static void Keys(YMap map, string what, params string[] allowed)
    {
        foreach (var (key, _) in map.Entries)
        {
            if (Array.IndexOf(allowed, key.Text) < 0)
            {
                throw key.Mark.Error(
                    1, $"'{key.Text}' is not in schema. Valid schema values: [{string.Join(", ", allowed.Select(a => $"'{a}'"))}] (in {what})");
            }
        }
    }

    public static YNode Required(YMap map, string key, string what)
    {
        return map[key] ?? throw map.Mark.Error(1, $"'{key}' key is required but it is currently missing ({what})");
    }
}
