using System.Text.Json.Nodes;

namespace Stratus.EndToEnd.Tests;

[Collection(ManagerCollection.Name)]
public sealed class CliProcessTests(ManagerProcess manager)
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Workflow = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task InstallThenUninstall_RunsHelloWorldEndToEnd_FromTheCommandLine()
    {
        var site = Path.Combine(manager.WorkDir, "cli-site");
        var page = Path.Combine(site, "index.html");

        var install = await CliRunner.RunAsync(manager, Workflow, "install", RepoPaths.HelloWorld, "-b", "hw-cli", "-i", $"site_dir={site}");

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("Blueprint uploaded. The blueprint's id is hw-cli", install.Out, StringComparison.Ordinal);
        Assert.Contains("Executing workflow `install` on deployment `hw-cli`", install.Out, StringComparison.Ordinal);
        Assert.Contains($"INFO: Wrote the page to {page}", install.Out, StringComparison.Ordinal);
        Assert.Contains("Finished executing workflow install on deployment hw-cli", install.Out, StringComparison.Ordinal);
        Assert.Contains($"Value: {page}", install.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(page), $"install should have written {page}");

        var deployments = await CliRunner.RunAsync(manager, Quick, "deployments", "list", "--json");
        Assert.True(deployments.ExitCode == 0, deployments.ToString());
        Assert.Contains(JsonNode.Parse(deployments.Out)!.AsArray(), d => d!["id"]!.GetValue<string>() == "hw-cli");

        var instances = await CliRunner.RunAsync(manager, Quick, "node-instances", "list", "-d", "hw-cli", "--json");
        Assert.True(instances.ExitCode == 0, instances.ToString());
        Assert.All(JsonNode.Parse(instances.Out)!.AsArray(), i => Assert.Equal("started", i!["state"]!.GetValue<string>()));

        var uninstall = await CliRunner.RunAsync(manager, Workflow, "uninstall", "hw-cli");

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Contains("Finished executing workflow uninstall on deployment hw-cli", uninstall.Out, StringComparison.Ordinal);
        Assert.Contains("Deployment deleted", uninstall.Out, StringComparison.Ordinal);
        Assert.Contains("Blueprint deleted", uninstall.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(page), $"uninstall should have removed {page}");
        var gone = await CliRunner.RunAsync(manager, Quick, "blueprints", "get", "hw-cli");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("[not_found_error]", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_ExitsNonZeroAndShowsTheError_WhenAScriptAborts()
    {
        var failing = Path.Combine(RepoPaths.Root, "test", "Stratus.EndToEnd.Tests", "Blueprints", "failing");

        var install = await CliRunner.RunAsync(manager, Workflow, "install", failing, "-b", "doomed");

        Assert.True(install.ExitCode == 1, install.ToString());
        Assert.Contains("INFO: about to give up", install.Out, StringComparison.Ordinal);
        Assert.Contains("execution of workflow install for deployment doomed failed", install.Error, StringComparison.Ordinal);
        Assert.Contains("deliberate failure for the test", install.Out + install.Error, StringComparison.Ordinal);
        var executions = await CliRunner.RunAsync(manager, Quick, "executions", "list", "-d", "doomed", "--json");
        Assert.Contains(
            JsonNode.Parse(executions.Out)!.AsArray(),
            e => e!["workflow_id"]!.GetValue<string>() == "install" && e["status"]!.GetValue<string>() == "failed");
    }

    [Fact]
    public async Task ManagerStart_Exits1WithReadableError_WhenPortIsTaken()
    {
        var dataDir = Path.Combine(manager.WorkDir, "second-manager");

        var result = await CliRunner.RunAsync(
            manager, Quick, "manager", "start", "--port", $"{manager.Port}", "--data-dir", dataDir, "--admin-password", "x");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"Error: the manager could not start on 127.0.0.1:{manager.Port}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagerStart_Exits1NamingTheFlag_WhenTheBrokerManagementPasswordIsWrong()
    {
        var (amqp, management) = RabbitMqManagement.Require();
        var wrongPassword = "wrong-" + Guid.NewGuid().ToString("N");
        var wrongUrl = new UriBuilder(management) { Password = wrongPassword }.Uri.AbsoluteUri;
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var dataDir = Path.Combine(manager.WorkDir, "refused-management-" + Guid.NewGuid().ToString("N")[..8]);

        var result = await CliRunner.RunAsync(
            manager, Quick, "manager", "start", "--port", $"{port}", "--data-dir", dataDir, "--admin-password", "x",
            "--broker-url", amqp, "--broker-management-url", wrongUrl);

        Assert.True(result.ExitCode == 1, result.ToString());
        var user = Uri.UnescapeDataString(management.UserInfo.Split(':')[0]);
        Assert.Contains(
            $"Error: the manager could not start on 127.0.0.1:{port}: --broker-management-url: RabbitMQ's management API at "
            + $"http://{management.Authority} refused the credentials of user `{user}` (401",
            result.Error,
            StringComparison.Ordinal);
        Assert.DoesNotContain(wrongPassword, result.Out + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Stratus manager listening", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFlag_ExitsWith2AndNamesIt()
    {
        var result = await CliRunner.RunAsync(manager, Quick, "blueprints", "list", "--no-such-flag");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option '--no-such-flag'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlueprintsUpload_Exits1WithInvalidBlueprintError_WhenBlueprintIsBroken()
    {
        var folder = Directory.CreateDirectory(Path.Combine(manager.WorkDir, "cli-bad")).FullName;
        await File.WriteAllTextAsync(
            Path.Combine(folder, "blueprint.yaml"),
            "tosca_definitions_version: cloudify_dsl_1_4\nimports:\n  - cloudify/types/types.yaml\nnode_templates:\n  a:\n    type: acme.Missing\n",
            TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync(manager, Quick, "blueprints", "upload", folder, "-b", "cli-bad");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[invalid_blueprint_error]", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_PrintsJsonWithVersion()
    {
        var result = await CliRunner.RunAsync(manager, Quick, "status", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(string.IsNullOrEmpty(JsonNode.Parse(result.Out)!["version"]!["version"]!.GetValue<string>()));
    }
}
