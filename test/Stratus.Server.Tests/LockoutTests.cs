using System.Net;
using Microsoft.Extensions.Time.Testing;
using Stratus.Server.Hosting;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class LockoutTests
{
    private static async Task<(ManagerFixture Manager, FakeTimeProvider Time)> StartAsync(TimeSpan lockPeriod)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var dataDir = ManagerFixture.NewDataDir();
        var manager = await ManagerFixture.StartAsync(
            dataDir: dataDir,
            options: new ManagerOptions { DataDir = dataDir, AccountLockPeriod = lockPeriod, CredentialCacheDuration = TimeSpan.FromMinutes(10) },
            overrides: new HostOverrides { RunEngine = false, TimeProvider = time });
        return (manager, time);
    }

    private static async Task FailAsync(ManagerFixture manager, int times)
    {
        using var wrong = manager.CreateClient("bob", "wrong");
        for (var i = 0; i < times; i++)
        {
            (await wrong.GetJsonAsync("/api/v3.1/user")).AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
        }
    }

    [Fact]
    public async Task FifthFailure_LocksTheAccount_EvenForTheRightPassword_UntilAnAdminUnlocks()
    {
        var (manager, _) = await StartAsync(TimeSpan.FromMinutes(30));
        await using var _manager = manager;
        using var bob = await manager.MemberAsync("bob", "user");
        Assert.Equal(HttpStatusCode.OK, (await bob.GetJsonAsync("/api/v3.1/user")).Status);

        await FailAsync(manager, 4);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetJsonAsync("/api/v3.1/user")).Status);
        await FailAsync(manager, 5);

        var locked = await bob.GetJsonAsync("/api/v3.1/user");
        locked.AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
        Assert.Equal("User unauthorized: Authentication failed for <User username=`bob`>. Wrong credentials or locked account", locked.Body!["message"]!.GetValue<string>());
        Assert.True((await manager.Client.GetJsonAsync("/api/v3.1/users/bob")).Body!["is_locked"]!.GetValue<bool>());

        var unlocked = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/users/unlock/bob");
        Assert.False(unlocked.Body!["is_locked"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await bob.GetJsonAsync("/api/v3.1/user")).Status);
    }

    [Fact]
    public async Task Lock_EndsByItself_AfterTheLockPeriod()
    {
        var (manager, time) = await StartAsync(TimeSpan.FromMinutes(30));
        await using var _manager = manager;
        using var bob = await manager.MemberAsync("bob", "user");
        await FailAsync(manager, 5);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetJsonAsync("/api/v3.1/user")).Status);

        time.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(HttpStatusCode.OK, (await bob.GetJsonAsync("/api/v3.1/user")).Status);
        Assert.Equal(0, (await manager.Store.GetUserAsync("bob", TestContext.Current.CancellationToken))!.FailedLoginsCounter);
    }

    [Fact]
    public async Task CloudifysDefaultPeriod_NeverLocks()
    {
        var (manager, _) = await StartAsync(new ManagerOptions { DataDir = "x" }.AccountLockPeriod);
        await using var _manager = manager;
        using var bob = await manager.MemberAsync("bob", "user");

        await FailAsync(manager, 8);

        Assert.Equal(HttpStatusCode.OK, (await bob.GetJsonAsync("/api/v3.1/user")).Status);
        Assert.False((await manager.Client.GetJsonAsync("/api/v3.1/users/bob")).Body!["is_locked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PasswordChangeAndDeactivation_TakeEffectDespiteTheCredentialCache()
    {
        var (manager, _) = await StartAsync(TimeSpan.FromMinutes(30));
        await using var _manager = manager;
        using var bob = await manager.MemberAsync("bob", "user");
        Assert.Equal(HttpStatusCode.OK, (await bob.GetJsonAsync("/api/v3.1/user")).Status);

        var changed = await bob.SendAsync(HttpMethod.Post, "/api/v3.1/users/bob", new System.Text.Json.Nodes.JsonObject { ["password"] = "new-pass" });
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetJsonAsync("/api/v3.1/user")).Status);
        using var renewed = manager.CreateClient("bob", "new-pass");
        Assert.Equal(HttpStatusCode.OK, (await renewed.GetJsonAsync("/api/v3.1/user")).Status);

        await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/users/active/bob", new System.Text.Json.Nodes.JsonObject { ["action"] = "deactivate" });
        Assert.Equal(HttpStatusCode.Unauthorized, (await renewed.GetJsonAsync("/api/v3.1/user")).Status);
    }
}
