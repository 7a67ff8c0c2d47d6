namespace Stratus.Cli.Tests;

public sealed class CliAppTests
{
    [Fact]
    public async Task Run_ExitsWith2AndNamesTheFlag_WhenFlagIsUnknown()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("deployments", "list", "--colour");

        Assert.Equal(2, exit);
        Assert.Contains("Error: unknown option '--colour'", cli.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: stratus deployments list", cli.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Manager.Requests);
    }

    [Fact]
    public async Task Run_ExitsWith2_WhenVerbIsUnknown()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("deployments", "frobnicate");

        Assert.Equal(2, exit);
        Assert.Contains("unknown command 'deployments frobnicate'", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PrintsVerbHelpAndExits0_WhenHelpIsAsked()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("executions", "start", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("--deployment-id DEP", cli.Out, StringComparison.Ordinal);
        Assert.Contains("--timeout SECONDS", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ListsCommandsAndExits2_WhenNoArguments()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync();

        Assert.Equal(2, exit);
        Assert.Contains("blueprints upload", cli.Out, StringComparison.Ordinal);
        Assert.Contains("manager start", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PrintsVersion_WhenVersionIsAsked()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("--version");

        Assert.Equal(0, exit);
        Assert.Matches(@"^stratus \d+\.\d+", cli.Out);
    }

    [Fact]
    public async Task Run_RejectsUnknownStorage_WhenStartingManager()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("manager", "start", "--storage", "mongodb");

        Assert.Equal(2, exit);
        Assert.Contains("--storage must be sqlite or postgresql, got 'mongodb'", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RejectsABrokerUrlThatIsNotAmqp_WhenStartingManager()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("manager", "start", "--broker-url", "redis://cache:6379");

        Assert.Equal(2, exit);
        Assert.Contains("--broker-url must look like amqp://user:password@host:port/vhost", cli.Error, StringComparison.Ordinal);
    }
}
