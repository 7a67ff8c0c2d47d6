namespace Stratus.Storage.Sql;

/// <summary>A whitelisted column: the SQL expression a wire field name maps to.</summary>
internal sealed record Column(string Sql, ColumnKind Kind = ColumnKind.Text);
