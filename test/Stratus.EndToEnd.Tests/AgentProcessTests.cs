using System.Text.Json.Nodes;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// A manager on RabbitMQ and a separate <c>stratus agent start</c> process: the hosted application's operation
/// runs in the agent, the host-less one on the manager, and the agent shows in <c>GET /agents</c>.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class AgentProcessTests(RabbitMqManager rabbit)
{
    private static readonly TimeSpan WorkflowTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task ProvidedAgent_RunsItsHostsOperations_WhileTheManagerRunsTheHostlessOnes()
    {
        var manager = rabbit.Require();
        var ct = TestContext.Current.CancellationToken;
        const string id = "agent-e2e";
        const string agentName = "e2e-vm-agent";
        var outDir = Path.Combine(manager.WorkDir, id);
        var client = manager.Client;
        await using var agent = await AgentProcess.StartAsync(manager, agentName, Environment.GetEnvironmentVariable("STRATUS_TEST_RABBITMQ")!);
        string Diagnostics() => $"{manager.Output}\n--- agent ---\n{agent.Output}";

        await client.Blueprints.UploadAsync(id, Path.Combine(RepoPaths.Root, "test", "Stratus.EndToEnd.Tests", "Blueprints", "provided-agent"), cancellationToken: ct);
        var deployment = await client.Deployments.CreateAsync(id, id, new JsonObject { ["out_dir"] = outDir, ["agent_name"] = agentName }, ct);
        if (deployment.CreateExecution is { } creation)
        {
            Assert.Equal(ExecutionStates.Terminated, (await Waits.ForExecutionEndAsync(client, creation, "create deployment", WorkflowTimeout, Diagnostics)).Status);
        }

        var install = await client.Executions.StartAsync(id, "install", cancellationToken: ct);
        var installed = await Waits.ForExecutionEndAsync(client, install.Id, "install", WorkflowTimeout, Diagnostics);
        Assert.True(installed.Status == ExecutionStates.Terminated, $"install ended {installed.Status}: {installed.Error}\n{Diagnostics()}");

        Assert.Equal(agentName, (await File.ReadAllTextAsync(Path.Combine(outDir, "app.txt"), ct)).Trim());
        Assert.Equal("cloudify.management", (await File.ReadAllTextAsync(Path.Combine(outDir, "central.txt"), ct)).Trim());
        var listed = Assert.Single((await client.Agents.ListAsync(id, cancellationToken: ct)).Items);
        Assert.Equal((agentName, id, "vm", "started", "provided"), (listed.Id, listed.Deployment, listed.Node, listed.State, listed.InstallMethod));
        Assert.NotNull(listed.LastHeartbeat);
        var vm = Assert.Single((await client.NodeInstances.ListAsync(id, "vm", cancellationToken: ct)).Items);
        Assert.Equal(vm.Id, listed.NodeInstanceId);
        Assert.Equal(agentName, vm.RuntimeProperties?["cloudify_agent"]?["queue"]?.GetValue<string>());
        var events = await client.Events.ListAsync(new EventsQuery { ExecutionId = install.Id, IncludeLogs = true }, ct);
        Assert.Contains(events.Items, e => e.IsLog && e.Message?.Contains($"recorded agent {agentName}", StringComparison.Ordinal) == true);
        Assert.Contains(events.Items, e => e.Message?.Contains("Creating agent", StringComparison.Ordinal) == true);

        var uninstall = await client.Executions.StartAsync(id, "uninstall", cancellationToken: ct);
        var uninstalled = await Waits.ForExecutionEndAsync(client, uninstall.Id, "uninstall", WorkflowTimeout, Diagnostics);
        Assert.True(uninstalled.Status == ExecutionStates.Terminated, $"uninstall ended {uninstalled.Status}: {uninstalled.Error}\n{Diagnostics()}");
        Assert.Equal("deleted", (await client.Agents.GetAsync(agentName, ct)).State);

        await client.Deployments.DeleteAsync(id, cancellationToken: ct);
        await Waits.ForNotFoundAsync(c => client.Deployments.GetAsync(id, c), "delete deployment", id, WorkflowTimeout);
        await client.Blueprints.DeleteAsync(id, cancellationToken: ct);
    }
}
