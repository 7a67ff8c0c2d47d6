using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

/// <summary>executions resume / cancel --kill / start --queue: the actions and flags cfy sends.</summary>
public sealed class ExecutionControlVerbTests
{
    [Theory]
    [InlineData(new[] { "executions", "resume", "e1" }, "resume", "A resume request for execution e1 has been sent.")]
    [InlineData(new[] { "executions", "resume", "e1", "--force" }, "force-resume", "A resume request for execution e1 has been sent.")]
    [InlineData(new[] { "executions", "cancel", "e1", "--kill" }, "kill", "Killing execution e1")]
    public async Task Verb_PostsTheAction_AndSaysWhatItDid(string[] args, string action, string said)
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("POST /api/v3.1/executions/e1", Samples.Execution("e1", "pending"));

        var exit = await cli.RunAsync(args);

        Assert.Equal(0, exit);
        var request = Assert.Single(cli.Manager.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal(action, JsonNode.Parse(request.BodyText)!["action"]!.GetValue<string>());
        Assert.Contains(said, cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartWithQueue_SendsQueue_AndReturnsWithoutFollowing_WhenQueued()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("POST /api/v3.1/executions", Samples.Execution("e2", "queued"));

        var exit = await cli.RunAsync("executions", "start", "install", "-d", "dep", "--queue");

        Assert.Equal(0, exit);
        var request = Assert.Single(cli.Manager.Requests);
        Assert.True(JsonNode.Parse(request.BodyText)!["queue"]!.GetValue<bool>());
        Assert.Contains("Execution is being queued. It will automatically start when possible.", cli.Out, StringComparison.Ordinal);
    }
}
