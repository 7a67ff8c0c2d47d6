using Stratus.Storage.Migrations;
using Stratus.Storage.Sql;

namespace Stratus.Storage.Tests;

/// <summary>A store whose migrations are the given scripts, to test the runner on each provider.</summary>
internal sealed class ScriptedStore(SqlDialect dialect, IReadOnlyList<MigrationScript> scripts, TimeProvider timeProvider)
    : SqlStratusStore(dialect, scripts, timeProvider);
