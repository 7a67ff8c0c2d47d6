namespace Stratus.Storage.Sql;

/// <summary>How one column of <see cref="SqlDialect.SelectRows"/> travels: its values' .NET type and SQL type.</summary>
internal enum RowValueKind
{
    /// <summary>A string or null; SQL text.</summary>
    Text,

    /// <summary>A non-null <see cref="DateTimeOffset"/>, stored at the store's precision.</summary>
    Timestamp,

    /// <summary>JSON text or null, stored in a JSON column.</summary>
    Json,
}
