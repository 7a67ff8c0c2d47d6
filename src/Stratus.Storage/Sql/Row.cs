using System.Data.Common;
using System.Text.Json.Nodes;

namespace Stratus.Storage.Sql;

/// <summary>Typed reads of the current row by column name.</summary>
internal readonly struct Row(DbDataReader reader, SqlDialect dialect)
{
    public string String(string column) => reader.GetString(reader.GetOrdinal(column));

    public string? NullableString(string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public long Long(string column) => reader.GetInt64(reader.GetOrdinal(column));

    public int Int(string column) => reader.GetInt32(reader.GetOrdinal(column));

    public int? NullableInt(string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
    }

    public bool Bool(string column) => reader.GetBoolean(reader.GetOrdinal(column));

    public DateTimeOffset Timestamp(string column) => dialect.ReadTimestamp(reader, reader.GetOrdinal(column));

    public DateTimeOffset? NullableTimestamp(string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : dialect.ReadTimestamp(reader, ordinal);
    }

    public JsonObject Object(string column) => Json(column) as JsonObject ?? [];

    public JsonObject? NullableObject(string column) => Json(column) as JsonObject;

    public JsonArray Array(string column) => Json(column) as JsonArray ?? [];

    public JsonArray? NullableArray(string column) => Json(column) as JsonArray;

    /// <summary>Any JSON value (object, array, scalar); null for SQL NULL and JSON null.</summary>
    public JsonNode? NullableNode(string column) => Json(column);

    public IReadOnlyList<string> Strings(string column) => JsonColumn.ReadStrings(NullableString(column));

    /// <summary>The column's JSON; null for SQL NULL, empty text and JSON null.</summary>
    private JsonNode? Json(string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : dialect.ReadJson(reader, ordinal);
    }
}
