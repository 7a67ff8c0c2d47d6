using Stratus.Cli.Commands;
using Stratus.Cli.Parsing;

namespace Stratus.Cli.Tests;

public sealed class ManagerStartFlagTests
{
    private static readonly ArgumentParser Parser = new(CommandCatalog.All);

    [Fact]
    public void DbUrl_SelectsPostgreSql_WithAConnectionStringFromTheUrl()
    {
        var options = ManagerCommands.ToOptions(
            Parser.Parse(["manager", "start", "--data-dir", "/d", "--db-url", "postgresql://u:p%40ss@127.0.0.1:5999/stratus?sslmode=disable"]), _ => null);

        Assert.Equal("postgresql", options.StorageProvider);
        Assert.Contains("Host=127.0.0.1", options.PostgresConnectionString, StringComparison.Ordinal);
        Assert.Contains("Port=5999", options.PostgresConnectionString, StringComparison.Ordinal);
        Assert.Contains("Password=p@ss", options.PostgresConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain("p@ss", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DbUrl_WithABadPort_IsAUsageErrorNamingThePort()
    {
        var error = Assert.Throws<UsageException>(() => ManagerCommands.ToOptions(
            Parser.Parse(["manager", "start", "--data-dir", "/d", "--db-url", "postgresql://u:topsecret@h:0/db"]), _ => null));

        Assert.Contains("port of host 'h'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DbUrl_WithPostgresFlag_IsRefused()
    {
        var error = Assert.Throws<UsageException>(() => ManagerCommands.ToOptions(
            Parser.Parse(["manager", "start", "--data-dir", "/d", "--db-url", "postgresql://h/db", "--postgres", "Host=h"]), _ => null));

        Assert.Contains("--db-url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManagerIdAndLease_AreTakenFromTheFlags()
    {
        var options = ManagerCommands.ToOptions(
            Parser.Parse(["manager", "start", "--data-dir", "/d", "--manager-id", "m1", "--execution-lease", "4"]), _ => null);
        var error = Assert.Throws<UsageException>(() => ManagerCommands.ToOptions(
            Parser.Parse(["manager", "start", "--data-dir", "/d", "--execution-lease", "0"]), _ => null));

        Assert.Equal("m1", options.ManagerId);
        Assert.Equal(TimeSpan.FromSeconds(4), options.ExecutionLeaseDuration);
        Assert.Contains("--execution-lease", error.Message, StringComparison.Ordinal);
    }
}
