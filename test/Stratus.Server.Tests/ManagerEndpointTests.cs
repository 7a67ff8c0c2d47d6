using System.Net;
using Stratus.Server.Hosting;
using Stratus.Server.Tests.Support;
using Stratus.Testing;

namespace Stratus.Server.Tests;

public sealed class ManagerEndpointTests
{
    [Fact]
    public async Task Ok_Answers200WithoutAuthentication_OnceStarted()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var anonymous = manager.CreateClient(null, null, tenant: null);

        var response = await anonymous.GetJsonAsync("/api/v3.1/ok");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("OK", response.Body!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/version")]
    [InlineData("/api/v3.1/version")]
    [InlineData("/api/v3/version")]
    public async Task Version_HasCloudifyFields_Versioned(string path)
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        WireFiles.AssertSameFields(WireFiles.Body("02-version"), response.Body, "version");
        Assert.StartsWith("7.", response.Body!["version"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v3.1/managers", "44-managers")]
    [InlineData("/api/v3.1/brokers", "45-brokers")]
    public async Task ClusterLists_AnswerOneItemList_ForProfilesUse(string path, string wire)
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        WireFiles.AssertSameFields(WireFiles.Body(wire), response.Body, path);
        Assert.Single(response.Body!["items"]!.AsArray());
    }

    /// <summary>
    /// Each manager says which event bodies it reads, in one field beside Cloudify's: 1 (JSON arrays too) for a current
    /// manager, 0 for a row an older manager wrote, so agents send batch messages only when every manager reads them.
    /// </summary>
    [Fact]
    public async Task Managers_ReportTheEventWire_BesideCloudifysFields_OnePerManager()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var now = DateTimeOffset.UtcNow;
        // An older manager's row: written without the event wire, so it reads 0.
        await manager.Store.UpsertManagerAsync(
            ManagerHeartbeats.Row("older:8000", now, now) with { PrivateIp = "10.0.0.9", PublicIp = "10.0.0.9", StatusReportFrequency = 60 },
            TestContext.Current.CancellationToken);

        var response = await manager.Client.GetJsonAsync("/api/v3.1/managers");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var items = response.Body!["items"]!.AsArray();
        var cloudify = WireFiles.Body("44-managers")["items"]![0];
        Assert.All(items, i => Assert.Equal([.. WireFiles.Keys(cloudify).Append("event_wire").Order(StringComparer.Ordinal)], WireFiles.Keys(i)));
        Assert.Equal(
            [(false, 1), (true, 0)],
            items.Select(i => (i!["hostname"]!.GetValue<string>() == "older:8000", i["event_wire"]!.GetValue<int>())));
    }

    [Theory]
    [InlineData("/api/v3.1/status")]
    [InlineData("/api/v3.1/db-nodes")]
    [InlineData("/api/v3.1/provider/context")]
    [InlineData("/api/v3.1/user")]
    [InlineData("/api/v3.1/tenants")]
    [InlineData("/api/v3.1/maintenance")]
    public async Task ManagerEndpoints_Answer200_ToAnAuthenticatedCaller(string path)
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync(path);

        Assert.True(response.Status == HttpStatusCode.OK, $"{path}: {(int)response.Status} {response.Body?.ToJsonString()}");
    }

    [Fact]
    public async Task Config_ListsBlueprintLimits_ForTheRestScope()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync("/api/v3.1/config?scope=rest");

        var items = response.Body!["items"]!.AsArray();
        var expected = WireFiles.Body("05-config-rest")["items"]![0];
        WireFiles.AssertSameFields(expected, items[0], "config item");
        Assert.Contains(items, i => i!["name"]!.GetValue<string>() == "blueprint_folder_max_size_mb");
        Assert.Contains(items, i => i!["name"]!.GetValue<string>() == "blueprint_folder_max_files");
    }

    [Fact]
    public async Task Config_ListsTheEngineRetrySettings_ForTheWorkflowScope()
    {
        await using var manager = await ManagerFixture.StartAsync(
            options: new ManagerOptions { DataDir = ManagerFixture.NewDataDir(), SubgraphRetries = 2 }, overrides: new HostOverrides { RunEngine = true });

        var response = await manager.Client.GetJsonAsync("/api/v3.1/config?scope=workflow");
        var all = await manager.Client.GetJsonAsync("/api/v3.1/config");

        var items = response.Body!["items"]!.AsArray().ToDictionary(i => i!["name"]!.GetValue<string>(), i => i!);
        Assert.Equal(["subgraph_retries", "task_retries", "task_retry_interval"], items.Keys.Order());
        Assert.Equal(2, items["subgraph_retries"]["value"]!.GetValue<int>());
        Assert.Equal(60, items["task_retries"]["value"]!.GetValue<int>());
        Assert.Equal(15, items["task_retry_interval"]["value"]!.GetValue<int>());
        Assert.All(items.Values, i => Assert.Equal("workflow", i["scope"]!.GetValue<string>()));
        Assert.Contains(all.Body!["items"]!.AsArray(), i => i!["name"]!.GetValue<string>() == "subgraph_retries");
        Assert.Contains(all.Body!["items"]!.AsArray(), i => i!["name"]!.GetValue<string>() == "blueprint_folder_max_files");
    }

    [Fact]
    public async Task UnknownRoute_Answers404NotFoundError_InCloudifyShape()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync("/api/v3.1/no-such-thing");

        response.AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Fact]
    public async Task User_ShowsTheCallerAndItsRole()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync("/api/v3.1/user");

        WireFiles.AssertSameFields(WireFiles.Body("41-user-self"), response.Body, "user");
        Assert.Equal("admin", response.Body!["username"]!.GetValue<string>());
        Assert.Equal("sys_admin", response.Body!["role"]!.GetValue<string>());
    }
}
