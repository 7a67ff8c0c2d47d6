using System.Net;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class AuthenticationTests
{
    [Fact]
    public async Task Request_Answers401WithCloudifyMessage_WithoutCredentials()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var anonymous = manager.CreateClient(null, null);

        var response = await anonymous.GetJsonAsync("/api/v3.1/blueprints");

        Assert.True(JsonNode.DeepEquals(WireFiles.Body("06-unauthenticated"), response.Body), response.Body?.ToJsonString());
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task Request_Answers401_WithAWrongPassword()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var client = manager.CreateClient("admin", "wrong");

        var response = await client.GetJsonAsync("/api/v3.1/blueprints");

        response.AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
        Assert.DoesNotContain("wrong", response.Body!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_Answers403Forbidden_ForAnUnknownTenant()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var client = manager.CreateClient("admin", ManagerFixture.AdminPassword, "no_such_tenant");

        var response = await client.GetJsonAsync("/api/v3.1/blueprints");

        response.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
    }

    [Fact]
    public async Task Request_UsesDefaultTenant_WhenTheHeaderIsMissing()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var client = manager.CreateClient("admin", ManagerFixture.AdminPassword, tenant: null);

        var response = await client.GetJsonAsync("/api/v3.1/blueprints");

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Request_Answers403_ForAUserWithoutARoleInTheTenant()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        await manager.Store.EnsureTenantAsync("other", ct);
        await manager.Store.CreateUserAsync(
            new User { Username = "bob", PasswordHash = PasswordHasher.Hash("bob-pass"), Role = "default", CreatedAt = DateTimeOffset.UnixEpoch },
            ct);
        await manager.Store.SetUserTenantRoleAsync("bob", "other", "user", ct);
        using var bob = manager.CreateClient("bob", "bob-pass", "default_tenant");

        var response = await bob.GetJsonAsync("/api/v3.1/blueprints");

        response.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
    }

    [Fact]
    public async Task FirstStart_PrintsAGeneratedPasswordOnce_AndItWorks()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "stratus-server-tests", Guid.NewGuid().ToString("N"));
        string password;
        await using (var first = await ManagerFixture.StartAsync(adminPassword: null, dataDir: dataDir))
        {
            var line = first.Console.ToString();
            first.KeepData = true;
            password = line.Trim().Split(' ').Last();
            using var client = first.CreateClient("admin", password);
            Assert.Equal(HttpStatusCode.OK, (await client.GetJsonAsync("/api/v3.1/blueprints")).Status);
        }

        await using var second = await ManagerFixture.StartAsync(adminPassword: null, dataDir: dataDir);
        Assert.DoesNotContain("password", second.Console.ToString(), StringComparison.OrdinalIgnoreCase);
        using var again = second.CreateClient("admin", password);
        Assert.Equal(HttpStatusCode.OK, (await again.GetJsonAsync("/api/v3.1/blueprints")).Status);
    }

    [Fact]
    public void PasswordHasher_VerifiesOnlyTheRightPassword_AndSalts()
    {
        var first = PasswordHasher.Hash("pw");
        var second = PasswordHasher.Hash("pw");

        Assert.NotEqual(first, second);
        Assert.True(PasswordHasher.Verify("pw", first));
        Assert.False(PasswordHasher.Verify("pW", first));
        Assert.DoesNotContain("pw", first.Split('$').Skip(2), StringComparer.Ordinal);
    }

    [Fact]
    public void CredentialCache_ForgetsAnEntry_AfterItsLifetime()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var cache = new Stratus.Server.Auth.CredentialCache(time, TimeSpan.FromSeconds(60));
        cache.Remember("admin", "pw");

        Assert.True(cache.IsKnown("admin", "pw"));
        Assert.False(cache.IsKnown("admin", "other"));
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.False(cache.IsKnown("admin", "pw"));
    }
}
