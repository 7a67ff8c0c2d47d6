using Stratus.Core.Errors;
using Stratus.Storage.Sql;
using Stratus.Storage.Sqlite;

namespace Stratus.Storage.Tests;

/// <summary>Unit tests of the SQL a list query becomes: only whitelisted columns reach the text, values are parameters.</summary>
public sealed class ListQueryCompilerTests : IAsyncDisposable
{
    private readonly SqliteDialect _dialect = new("unused.db");

    [Fact]
    public void Compile_PutsValuesInParameters_WhenFiltersSearchAndRangesGiven()
    {
        var parameters = new SqlParameters();
        var query = new ListQuery
        {
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["execution_id"] = ["x'; DROP TABLE events; --", "e2"], ["level"] = [] },
            Search = "needle",
            Ranges = [new RangeFilter("@timestamp", "2026-01-01T00:00:00.000Z", null)],
            Sort = [new SortKey("@timestamp", true)],
            Offset = 20,
            Size = 10,
        };

        var compiled = ListQueryCompiler.Compile(FieldMaps.Events, query, parameters, _dialect);

        Assert.Equal(
            " AND ev.execution_id IN (@p0, @p1) AND ev.level IS NULL AND ev.timestamp >= @p2 AND instr(ev.message, @p3) > 0",
            compiled.Where);
        Assert.Equal(" ORDER BY ev.timestamp DESC NULLS LAST, ev.storage_id ASC", compiled.OrderBy);
        Assert.Equal(" LIMIT @p4 OFFSET @p5", compiled.Limit);
        Assert.Equal("x'; DROP TABLE events; --", parameters.Values[0].Value);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), parameters.Values[2].Value);
        Assert.Equal([10L, 20L], parameters.Values.Skip(4).Select(v => v.Value));
    }

    [Fact]
    public void Compile_OmitsLimit_WhenAllResultsRequested()
    {
        var compiled = ListQueryCompiler.Compile(FieldMaps.Deployments, ListQuery.All, new SqlParameters(), _dialect);

        Assert.Equal(("", ""), (compiled.Where, compiled.Limit));
    }

    [Fact]
    public void Compile_NamesEveryUnknownField_WhenFiltersAreNotWhitelisted()
    {
        var query = new ListQuery
        {
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["id"] = ["a"], ["nope"] = ["b"], ["1=1"] = ["c"] },
        };

        var error = Assert.Throws<StratusException>(() => ListQueryCompiler.Compile(FieldMaps.Nodes, query, new SqlParameters(), _dialect));

        Assert.Equal(ErrorCodes.BadParameters, error.ErrorCode);
        Assert.StartsWith("Filter keys '['nope', '1=1']' do not exist. Allowed keys are: ['id', 'deployment_id',", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadEmbedded_FindsVersionedScripts_InEachProvider()
    {
        var sqlite = Migrations.MigrationScript.LoadEmbedded(typeof(SqliteStratusStore).Assembly);
        var postgres = Migrations.MigrationScript.LoadEmbedded(typeof(PostgreSql.PostgreSqlStratusStore).Assembly);

        Assert.Equal((1, "0001_initial"), (sqlite[0].Version, sqlite[0].Name));
        Assert.Contains((3, "0003_plugins"), sqlite.Select(s => (s.Version, s.Name)));
        Assert.Contains((2, "0002_runtime_only_evaluation"), sqlite.Select(s => (s.Version, s.Name)));
        Assert.Equal(sqlite.Select(s => s.Version), postgres.Select(s => s.Version));
        Assert.Contains("CREATE TABLE node_instances", postgres[0].Sql, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();
}
