using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Stratus.Agent.Ctx;

/// <summary>Dotted paths with list indexes into a dict (<c>a.b[0].c</c>), as Cloudify's ctx proxy reads them.</summary>
internal static partial class CtxPath
{
    public static JsonNode? Get(JsonObject root, string path) => Walk(root, path, createMissing: false);

    /// <summary>Sets the last segment; missing intermediate dicts are created.</summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var lastDot = path.LastIndexOf('.');
        var parent = lastDot < 0 ? root : Walk(root, path[..lastDot], createMissing: true);
        if (parent is not JsonObject parentObject)
        {
            throw Illegal(path);
        }

        parentObject[path[(lastDot + 1)..]] = value?.DeepClone();
    }

    private static JsonNode? Walk(JsonObject root, string path, bool createMissing)
    {
        JsonNode? current = root;
        foreach (var segment in path.Split('.'))
        {
            if (current is not JsonObject currentObject)
            {
                throw Illegal(path);
            }

            var indexed = IndexedSegment().Match(segment);
            if (indexed.Success)
            {
                var name = indexed.Groups[1].Value;
                var index = int.Parse(indexed.Groups[2].Value, CultureInfo.InvariantCulture);
                if (!currentObject.TryGetPropertyValue(name, out var listNode) || listNode is not JsonArray list
                    || index >= list.Count)
                {
                    throw Illegal(path);
                }

                current = list[index];
            }
            else if (currentObject.TryGetPropertyValue(segment, out var child))
            {
                current = child;
            }
            else if (createMissing)
            {
                var created = new JsonObject();
                currentObject[segment] = created;
                current = created;
            }
            else
            {
                throw Illegal(path);
            }
        }

        return current;
    }

    private static CtxException Illegal(string path) => new($"illegal path: {path}");

    [GeneratedRegex(@"^(.+)\[(\d+)\]$")]
    private static partial Regex IndexedSegment();
}
