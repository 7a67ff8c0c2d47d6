using System.Text.Json.Nodes;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>examples/script-workflow on the real manager: a Python workflow script runs an operation on each instance.</summary>
[Collection(ManagerCollection.Name)]
public sealed class ScriptWorkflowEndToEndTests(ManagerProcess manager)
{
    private static readonly TimeSpan WorkflowTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task BackupAll_RunsBackupOnEachInstanceOnce_AndRecordsResults()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = manager.Client;
        const string id = "script-wf";
        var record = Path.Combine(manager.WorkDir, id);
        await client.Blueprints.UploadAsync(id, Path.Combine(RepoPaths.Root, "examples", "script-workflow"), cancellationToken: ct);
        var deployment = await client.Deployments.CreateAsync(id, id, new JsonObject { ["record_dir"] = record }, ct);
        if (deployment.CreateExecution is { } creation)
        {
            await Waits.ForExecutionEndAsync(client, creation, "create deployment", WorkflowTimeout, () => manager.Output);
        }

        var install = await client.Executions.StartAsync(id, "install", cancellationToken: ct);
        Assert.Equal(ExecutionStates.Terminated, (await Waits.ForExecutionEndAsync(client, install.Id, "install", WorkflowTimeout, () => manager.Output)).Status);

        var backup = await client.Executions.StartAsync(id, "backup_all", new JsonObject { ["label"] = "weekly" }, cancellationToken: ct);
        var ended = await Waits.ForExecutionEndAsync(client, backup.Id, "backup_all", WorkflowTimeout, () => manager.Output);

        Assert.True(ended.Status == ExecutionStates.Terminated, $"backup_all ended {ended.Status}: {ended.Error}");
        var instances = (await client.NodeInstances.ListAsync(id, cancellationToken: ct)).Items;
        Assert.Equal(3, instances.Count);
        var lines = await File.ReadAllLinesAsync(Path.Combine(record, "operations.log"), ct);
        foreach (var instance in instances)
        {
            Assert.Single(lines, l => l == $"{instance.Id} demo.maintenance.backup");
            Assert.Equal($"{instance.Id} weekly", (await File.ReadAllTextAsync(Path.Combine(record, "backups", instance.Id + ".txt"), ct)).Trim());
            Assert.Equal(Path.Combine(record, "backups", instance.Id + ".txt"), instance.RuntimeProperties?["backup_path"]?.GetValue<string>());
            Assert.Equal(backup.Id, instance.RuntimeProperties?["backed_up_by"]?.GetValue<string>());
        }

        var events = (await client.Events.ListAsync(new EventsQuery { ExecutionId = backup.Id, IncludeLogs = true }, ct)).Items;
        Assert.Equal(3, events.Count(e => e.EventTypeName == "task_succeeded" && e.Operation == "demo.maintenance.backup"));
        Assert.Contains(events, e => e.IsLog && e.Message == $"Backing up deployment {id} (weekly)");
        Assert.Contains(events, e => e.EventTypeName == "workflow_stage" && e.Message == $"Backed up 3 instance(s) of {id}");
        Assert.Equal("workflow_succeeded", events.Last(e => !e.IsLog).EventTypeName);
        Assert.Equal(4, ended.TotalOperations);
    }
}
