using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// Two manager processes on one PostgreSQL and RabbitMQ with different data folders: a blueprint uploaded to one is
/// installed and served through the other, a delete and re-upload is never served stale, and a manager whose
/// encryption key differs from the cluster's refuses to start.
/// </summary>
public sealed class SharedFilesClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly string Blueprint = Path.Combine(RepoPaths.Root, "test", "Stratus.EndToEnd.Tests", "Blueprints", "shared-files");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UploadOnOneManager_InstallAndServeThroughTheOther_ReuploadIsNeverServedStale()
    {
        await using var services = await PrivateServices.StartAsync();
        await using var cluster = await ManagerCluster.StartAsync(services);
        var (a, b) = (cluster.Managers[0], cluster.Managers[1]);
        var record = Path.Combine(cluster.ScratchDir, "runs.txt");

        await a.Client.Blueprints.UploadAsync("files", Blueprint, cancellationToken: Token);
        var deployment = await b.Client.Deployments.CreateAsync("files", "files", new JsonObject { ["record"] = record }, Token);
        if (deployment.CreateExecution is { } creation)
        {
            Assert.Equal(ExecutionStates.Terminated, (await Waits.ForExecutionEndAsync(b.Client, creation, "create deployment on B", Timeout, () => cluster.Output)).Status);
        }

        var install = await b.Client.Executions.StartAsync("files", "install", cancellationToken: Token);
        var ended = await Waits.ForExecutionEndAsync(b.Client, install.Id, "install through B", Timeout, () => cluster.Output);
        Assert.True(ended.Status == ExecutionStates.Terminated, $"install ended {ended.Status}: {ended.Error}\n{cluster.Output}");
        Assert.Equal("created v1\n", await File.ReadAllTextAsync(record, Token));
        Assert.NotEqual(a.DataDir, b.DataDir);

        using var httpB = Http(b);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Blueprint, "scripts", "create.sh"), Token), await httpB.GetStringAsync("/resources/blueprints/default_tenant/files/scripts/create.sh", Token));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Blueprint, "includes", "types.yaml"), Token), await httpB.GetStringAsync("/resources/blueprints/default_tenant/files/includes/types.yaml", Token));

        await b.Client.Deployments.DeleteAsync("files", force: true, Token);
        await Waits.UntilAsync(
            async ct => (await b.Client.Deployments.ListAsync(cancellationToken: ct)).Items.Count == 0, "deployment files to be deleted", Timeout, () => cluster.Output);
        await b.Client.Blueprints.DeleteAsync("files", cancellationToken: Token);
        var changed = Directory.CreateTempSubdirectory("stratus-e2e-changed-").FullName;
        try
        {
            CopyTree(Blueprint, changed);
            await File.WriteAllTextAsync(Path.Combine(changed, "scripts", "create.sh"), "#!/bin/bash\nset -e\necho \"created v2\" >> \"$record\"\n", Token);
            await a.Client.Blueprints.UploadAsync("files", changed, cancellationToken: Token);
        }
        finally
        {
            Directory.Delete(changed, recursive: true);
        }

        Assert.Contains("created v2", await httpB.GetStringAsync("/resources/blueprints/default_tenant/files/scripts/create.sh", Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManagerWithAnotherKey_OrNoKey_RefusesToStart()
    {
        await using var services = await PrivateServices.StartAsync();
        await using var cluster = await ManagerCluster.StartAsync(services);

        await using var keyless = cluster.Another("m3");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => keyless.InitializeAsync().AsTask());
        Assert.Contains("STRATUS_ENCRYPTION_KEY", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--encryption-key-file", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(keyless.DataDir, "secret.key")), "no fresh key is written when the database records one");

        var otherKey = Path.Combine(cluster.ScratchDir, "other.key");
        await File.WriteAllTextAsync(otherKey, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), Token);
        await using var wrong = cluster.Another("m4", "--encryption-key-file", otherKey);
        var mismatch = await Assert.ThrowsAsync<InvalidOperationException>(() => wrong.InitializeAsync().AsTask());
        Assert.Contains("not the key recorded in the database", mismatch.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await File.ReadAllTextAsync(otherKey, Token), mismatch.Message, StringComparison.Ordinal);

        await using var same = cluster.Another("m5", "--encryption-key-file", cluster.KeyFile);
        await same.InitializeAsync();
        Assert.True(await same.Client.Manager.IsOkAsync(Token));
    }

    private static HttpClient Http(ManagerProcess manager)
    {
        var http = new HttpClient { BaseAddress = manager.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + ManagerProcess.AdminPassword)));
        http.DefaultRequestHeaders.Add("Tenant", "default_tenant");
        return http;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
