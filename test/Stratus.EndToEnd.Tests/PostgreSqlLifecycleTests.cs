namespace Stratus.EndToEnd.Tests;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlLifecycleTests(PostgreSqlManager postgres)
{
    [Fact]
    public Task HelloWorld_InstallsAndUninstalls_OnPostgreSql() => HelloWorldScenario.RunAsync(postgres.Require(), "hw-pg");
}
