namespace Stratus.Storage.Sql;

/// <summary>How a filter value given as text is converted before it becomes a parameter.</summary>
internal enum ColumnKind
{
    Text,
    Timestamp,
    Boolean,
    Integer,
}
