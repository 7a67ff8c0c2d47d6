using System.Text.Json.Nodes;

namespace Stratus.Server.Tests.Support;

/// <summary>The responses recorded from Cloudify 7.1 (/work/shared/reference/wire), to compare shapes with.</summary>
internal static class WireFiles
{
    private static readonly string Directory = Path.Combine(
        Environment.GetEnvironmentVariable("STRATUS_WIRE_DIR") ?? "/work/shared/reference/wire");

    public static JsonNode Body(string name)
    {
        var file = System.IO.Directory.GetFiles(Directory, name + "*.json").Single();
        return JsonNode.Parse(File.ReadAllText(file))!["body"]!;
    }

    public static IReadOnlyList<string> Keys(JsonNode? node) =>
        [.. node!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>Asserts that <paramref name="actual"/> has exactly the field names of the recorded object.</summary>
    public static void AssertSameFields(JsonNode? expected, JsonNode? actual, string what)
    {
        var missing = Keys(expected).Except(Keys(actual)).ToList();
        var extra = Keys(actual).Except(Keys(expected)).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"{what}: missing [{string.Join(", ", missing)}], extra [{string.Join(", ", extra)}]");
    }
}
