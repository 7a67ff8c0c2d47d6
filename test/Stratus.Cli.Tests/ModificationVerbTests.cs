using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

public sealed class ModificationVerbTests
{
    private static JsonObject Modification(string status) => new()
    {
        ["id"] = "m1",
        ["deployment_id"] = "d1",
        ["status"] = status,
        ["tenant_name"] = "default_tenant",
        ["visibility"] = "tenant",
        ["created_at"] = "2026-11-26T13:28:17.987Z",
        ["context"] = new JsonObject { ["workflow_id"] = "scale", ["execution_id"] = "e1" },
        ["modified_nodes"] = new JsonObject { ["vm"] = new JsonObject { ["instances"] = 2 } },
        ["node_instances"] = new JsonObject
        {
            ["added_and_related"] = new JsonArray(
                new JsonObject { ["id"] = "vm_abc123", ["node_id"] = "vm", ["modification"] = "added" },
                new JsonObject { ["id"] = "lb_1", ["node_id"] = "lb" }),
        },
    };

    [Fact]
    public async Task ModificationsList_FiltersByDeployment_AndShowsTheWorkflowAndExecution()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/deployment-modifications", FakeManager.List(Modification("finished")));

        var exit = await cli.RunAsync("deployments", "modifications", "list", "d1");

        Assert.Equal(0, exit);
        Assert.Contains("deployment_id=d1", Assert.Single(cli.Manager.Requests).Uri.Query, StringComparison.Ordinal);
        Assert.Contains("| m1 | scale       | e1           | finished |", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModificationsGetAndRollback_ListOnlyTheAddedInstances()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/deployment-modifications/m1", Modification("started"));
        cli.Manager.OnJson("POST /api/v3.1/deployment-modifications/m1/rollback", Modification("rolledback"));

        var got = await cli.RunAsync("deployments", "modifications", "get", "m1");
        var getOut = cli.Out;
        var rolledBack = await cli.RunAsync("deployments", "modifications", "rollback", "m1");

        Assert.Equal((0, 0), (got, rolledBack));
        Assert.Contains("Added node instances:\n  vm_abc123 (vm)\n", getOut.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("lb_1", getOut, StringComparison.Ordinal);
        Assert.Contains("rolledback", cli.Out, StringComparison.Ordinal);
    }
}
