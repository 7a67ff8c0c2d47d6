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

    public static JsonObject ReadObject(string? text) =>
        string.IsNullOrEmpty(text) ? [] : JsonNode.Parse(text) as JsonObject ?? [];

    public static JsonObject? ReadNullableObject(string? text) =>
        string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text) as JsonObject;

    public static JsonArray ReadArray(string? text) =>
        string.IsNullOrEmpty(text) ? [] : JsonNode.Parse(text) as JsonArray ?? [];

    public static JsonArray? ReadNullableArray(string? text) =>
        string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text) as JsonArray;

    public static IReadOnlyList<string> ReadStrings(string? text) =>
        string.IsNullOrEmpty(text) ? [] : JsonSerializer.Deserialize(text, StringListContext.Default.ListString) ?? [];
}
