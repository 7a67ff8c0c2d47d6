namespace Stratus.Storage.Sql;

internal sealed record SqlParameterValue(string Name, object? Value, bool IsJson);
