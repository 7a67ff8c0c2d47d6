using System.Text.Json.Nodes;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// Deploys and installs the remote-agent blueprint (its agent installed over SSH into <c>basedir</c> on the SSH host),
/// asserting both workflows end terminated; shared by the detached and the systemd remote agent tests.
/// </summary>
internal static class RemoteAgentDeployment
{
    /// <summary>Returns the installed <c>vm</c> node instance and the install execution's id.</summary>
    public static async Task<(NodeInstance Vm, string InstallId)> InstallAsync(
        ManagerProcess manager, string id, string outDir, string basedir, string sshUser, string sshKey, int sshPort, TimeSpan timeout)
    {
        var ct = TestContext.Current.CancellationToken;
        var client = manager.Client;
        string Diagnostics() => manager.Output;

        await client.Blueprints.UploadAsync(id, Path.Combine(RepoPaths.Root, "test", "Stratus.EndToEnd.Tests", "Blueprints", "remote-agent"), cancellationToken: ct);
        var inputs = new JsonObject { ["out_dir"] = outDir, ["ssh_user"] = sshUser, ["ssh_key"] = sshKey, ["ssh_port"] = sshPort, ["basedir"] = basedir };
        var deployment = await client.Deployments.CreateAsync(id, id, inputs, ct);
        if (deployment.CreateExecution is { } creation)
        {
            Assert.Equal(ExecutionStates.Terminated, (await Waits.ForExecutionEndAsync(client, creation, "create deployment", timeout, Diagnostics)).Status);
        }

        var install = await client.Executions.StartAsync(id, "install", cancellationToken: ct);
        var installed = await Waits.ForExecutionEndAsync(client, install.Id, "install", timeout, Diagnostics);
        Assert.True(installed.Status == ExecutionStates.Terminated, $"install ended {installed.Status}: {installed.Error}\n{Diagnostics()}");
        return (Assert.Single((await client.NodeInstances.ListAsync(id, "vm", cancellationToken: ct)).Items), install.Id);
    }
}
