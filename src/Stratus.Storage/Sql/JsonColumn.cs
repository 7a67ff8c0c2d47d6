using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Storage.Sql;

/// <summary>(De)serialization of JSON columns; key order is kept as written (PostgreSQL columns are <c>json</c>, not <c>jsonb</c>).</summary>
internal static class JsonColumn
{
    public static string Write(JsonNode? node) => node?.ToJsonString() ?? "null";

    public static string? WriteNullable(JsonNode? node) => node?.ToJsonString();

    public static string WriteStrings(IReadOnlyList<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array.ToJsonString();
    }

    /// <summary>Parses a JSON column's text; empty text reads as null.</summary>
    public static JsonNode? Parse(string text) => text.Length == 0 ? null : JsonNode.Parse(text);

    /// <summary>Parses a JSON column's UTF-8 bytes; empty text reads as null.</summary>
    public static JsonNode? Parse(byte[] utf8) => utf8.Length == 0 ? null : JsonNode.Parse(utf8);

    public static IReadOnlyList<string> ReadStrings(string? text) =>
        string.IsNullOrEmpty(text) ? [] : JsonSerializer.Deserialize(text, StringListContext.Default.ListString) ?? [];
}
