using System.Text.Json.Nodes;
using Stratus.Cli.Commands;
using Stratus.Cli.Parsing;

namespace Stratus.Cli.Tests;

public sealed class AgentVerbTests
{
    private static JsonObject Agent(string id, string deployment) => new()
    {
        ["id"] = id,
        ["host_id"] = "vm_1",
        ["ip"] = "10.0.0.7",
        ["install_method"] = "provided",
        ["system"] = "Linux X64",
        ["version"] = "1.0.0",
        ["node"] = "vm",
        ["deployment"] = deployment,
        ["state"] = "started",
        ["tenant_name"] = "default_tenant",
        ["last_heartbeat"] = "2026-11-26T06:00:00.000Z",
    };

    [Fact]
    public async Task AgentsList_PrintsCfysColumns_AndFiltersByDeployment()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/agents", FakeManager.List(Agent("vm_agent", "web")));

        var exit = await cli.RunAsync("agents", "list", "-d", "web");

        Assert.Equal(0, exit);
        Assert.Contains("Agents:", cli.Out, StringComparison.Ordinal);
        var header = cli.Out.Split('\n').First(l => l.Contains("install_method", StringComparison.Ordinal));
        Assert.Equal(
            ["id", "ip", "deployment", "state", "node", "system", "version", "install_method", "tenant_name"],
            header.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("| vm_agent | 10.0.0.7 | web", cli.Out, StringComparison.Ordinal);
        Assert.Contains("deployment_id=web", cli.Manager.Requests[0].Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentStart_WithoutABroker_ExplainsThatTheEmbeddedBrokerCannotBeShared()
    {
        var parsed = new ArgumentParser(CommandCatalog.All).Parse(["agent", "start", "--name", "vm_1", "--manager-url", "http://10.0.0.1:8100"]);

        var error = Assert.Throws<CliException>(() => AgentCommands.ToSettings(parsed, _ => null));

        Assert.Contains("--broker-url", error.Message, StringComparison.Ordinal);
        Assert.Contains("embedded broker lives inside the manager process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentStart_ReadsManagersCredentialsAndTenant_FromFlagsAndEnvironment()
    {
        var parser = new ArgumentParser(CommandCatalog.All);
        var parsed = parser.Parse(["agent", "start", "--name", "vm_1", "--manager-url", "http://10.0.0.1:8100,https://m2:443/", "--broker-url", "amqp://u:p@h:5672/v"]);
        string? Env(string name) => name switch
        {
            "STRATUS_USERNAME" => "agent-user",
            "STRATUS_PASSWORD" => "pw",
            "STRATUS_TENANT" => "team-a",
            _ => null,
        };

        var settings = AgentCommands.ToSettings(parsed, Env);
        var noCredentials = Assert.Throws<UsageException>(() => AgentCommands.ToSettings(parsed, _ => null));
        var badName = Assert.Throws<UsageException>(() => AgentCommands.ToSettings(
            parser.Parse(["agent", "start", "--name", "a b", "--manager-url", "http://m", "--broker-url", "amqp://h"]), Env));

        Assert.Equal(["http://10.0.0.1:8100/", "https://m2/"], settings.ManagerUrls.Select(u => u.ToString()));
        Assert.Equal(("agent-user", "pw", "team-a"), (settings.Credentials.Username, settings.Credentials.Password, settings.Credentials.Tenant));
        Assert.DoesNotContain("pw", settings.Credentials.ToString(), StringComparison.Ordinal);
        Assert.Contains("STRATUS_USERNAME", noCredentials.Message, StringComparison.Ordinal);
        Assert.Contains("--name", badName.Message, StringComparison.Ordinal);
    }
}
