using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

public sealed class ProfileTests
{
    [Fact]
    public async Task ProfilesUse_WritesOwnerOnlyFile_WithTheGivenConnection()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("profiles", "use", "http://10.0.0.5:8100/", "-u", "ops", "-p", "s3cret", "-t", "team");

        Assert.Equal(0, exit);
        var file = Path.Combine(cli.Home, ".stratus", "profile.json");
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken))!;
        Assert.Equal("http://10.0.0.5:8100", saved["manager_url"]!.GetValue<string>());
        Assert.Equal("ops", saved["username"]!.GetValue<string>());
        Assert.Equal("team", saved["tenant"]!.GetValue<string>());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.DoesNotContain("s3cret", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProfilesShow_UsesProfileAndHidesPassword_WhenNoVariablesAreSet()
    {
        using var cli = new CliRun().With("STRATUS_MANAGER_URL", null).With("STRATUS_PASSWORD", null);
        await cli.RunAsync("profiles", "use", "http://10.0.0.5:8100", "-u", "ops", "-p", "s3cret");

        var exit = await cli.RunAsync("profiles", "show");

        Assert.Equal(0, exit);
        Assert.Contains("http://10.0.0.5:8100", cli.Out, StringComparison.Ordinal);
        Assert.Contains("ops", cli.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_UseVariablesOverProfile_WhenBothAreSet()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/blueprints", FakeManager.List());
        await cli.RunAsync("profiles", "use", "http://elsewhere:1", "-u", "ops", "-p", "old", "-t", "team");
        cli.With("STRATUS_MANAGER_URL", "http://manager.test:8100").With("STRATUS_TENANT", "other");

        var exit = await cli.RunAsync("blueprints", "list");

        Assert.Equal(0, exit);
        var request = Assert.Single(cli.Manager.Requests);
        Assert.Equal("manager.test", request.Uri.Host);
        Assert.Contains("Tenant: other", request.Headers, StringComparison.Ordinal);
        var basic = Convert.ToBase64String("ops:pw"u8.ToArray());
        Assert.Contains($"Authorization: Basic {basic}", request.Headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProfilesUse_ExitsWith2_WhenUrlIsNotHttp()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("profiles", "use", "ftp://x");

        Assert.Equal(2, exit);
        Assert.Contains("'ftp://x' is not an http(s) URL", cli.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(cli.Home, ".stratus", "profile.json")));
    }
}
