using System.Globalization;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Output;

/// <summary>How values look inside tables and event lines.</summary>
internal static class Cells
{
    public static string? Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string? Value(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
