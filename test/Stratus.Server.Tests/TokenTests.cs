using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Stratus.Server.Hosting;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class TokenTests
{
    private static HttpClient WithToken(ManagerFixture manager, string value)
    {
        var client = manager.CreateClient(null, null);
        client.DefaultRequestHeaders.Add("Authentication-Token", value);
        return client;
    }

    [Fact]
    public async Task Create_ShowsTheSecretOnce_AndTheTokenAuthenticates()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var created = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/tokens", new JsonObject { ["description"] = "wire" });

        Assert.Equal(HttpStatusCode.OK, created.Status);
        WireFiles.AssertSameFields(WireFiles.Body("39-token-create"), created.Body, "token");
        var value = created.Body!["value"]!.GetValue<string>();
        var id = created.Body["id"]!.GetValue<string>();
        Assert.Matches("^ctok-[A-Za-z0-9]{10}-[A-Za-z0-9]{40}$", value);
        Assert.Equal(("admin", "sys_admin", "wire"), (created.Body["username"]!.GetValue<string>(), created.Body["role"]!.GetValue<string>(), created.Body["description"]!.GetValue<string>()));

        using var client = WithToken(manager, value);
        var self = await client.GetJsonAsync("/api/v3.1/user");
        Assert.Equal("admin", self.Body!["username"]!.GetValue<string>());

        var listed = await manager.Client.GetJsonAsync("/api/v3.1/tokens");
        var item = Assert.Single(listed.Body!["items"]!.AsArray());
        WireFiles.AssertSameFields(WireFiles.Body("40-tokens-list")["items"]![0], item, "token");
        Assert.Equal($"ctok-{id}-********", item!["value"]!.GetValue<string>());
        Assert.NotNull(item["last_used"]);
        Assert.Equal($"ctok-{id}-********", (await manager.Client.GetJsonAsync("/api/v3.1/tokens/" + id)).Body!["value"]!.GetValue<string>());
        Assert.DoesNotContain(value.Split('-')[2], listed.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongSecretMalformedOrDeletedToken_Answers401()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var created = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/tokens", new JsonObject());
        var id = created.Body!["id"]!.GetValue<string>();

        using var wrong = WithToken(manager, $"ctok-{id}-{new string('x', 40)}");
        using var malformed = WithToken(manager, "garbage");
        var wrongResponse = await wrong.GetJsonAsync("/api/v3.1/blueprints");
        var malformedResponse = await malformed.GetJsonAsync("/api/v3.1/blueprints");
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/tokens/" + id)).Status);
        using var deleted = WithToken(manager, created.Body["value"]!.GetValue<string>());

        wrongResponse.AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
        Assert.Equal("User unauthorized: Invalid token structure", malformedResponse.Body!["message"]!.GetValue<string>());
        (await deleted.GetJsonAsync("/api/v3.1/blueprints")).AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
        (await manager.Client.GetJsonAsync("/api/v3.1/tokens/" + id)).AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Fact]
    public async Task ExpiredToken_IsRefused_AndAPastExpirationIsRejected()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        await using var manager = await ManagerFixture.StartAsync(overrides: new HostOverrides { RunEngine = false, TimeProvider = time });
        var created = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/tokens", new JsonObject { ["expiration_date"] = "+1h" });
        var past = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/tokens", new JsonObject { ["expiration_date"] = "2020-01-01 10:00" });
        using var client = WithToken(manager, created.Body!["value"]!.GetValue<string>());

        Assert.Equal("2026-11-26T13:00:00.000Z", created.Body["expiration_date"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetJsonAsync("/api/v3.1/blueprints")).Status);
        time.Advance(TimeSpan.FromMinutes(61));
        var expired = await client.GetJsonAsync("/api/v3.1/blueprints");

        expired.AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
        Assert.Equal("User unauthorized: Token is expired", expired.Body!["message"]!.GetValue<string>());
        past.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
    }

    [Fact]
    public async Task OtherUsersTokens_AreInvisible_ExceptToSysAdmins()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var bob = await manager.MemberAsync("bob", "user");
        var bobs = await bob.SendAsync(HttpMethod.Post, "/api/v3.1/tokens", new JsonObject { ["description"] = "bob's" });
        var admins = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/tokens", new JsonObject());
        var adminId = admins.Body!["id"]!.GetValue<string>();

        var bobList = await bob.GetJsonAsync("/api/v3.1/tokens");
        var adminList = await manager.Client.GetJsonAsync("/api/v3.1/tokens");

        Assert.Equal([bobs.Body!["id"]!.GetValue<string>()], bobList.Body!["items"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal(2, adminList.Body!["items"]!.AsArray().Count);
        (await bob.GetJsonAsync("/api/v3.1/tokens/" + adminId)).AssertError(HttpStatusCode.NotFound, "not_found_error");
        (await bob.SendAsync(HttpMethod.Delete, "/api/v3.1/tokens/" + adminId)).AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal("bob", (await WithTokenSelf(manager, bobs.Body["value"]!.GetValue<string>())).Body!["username"]!.GetValue<string>());
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> WithTokenSelf(ManagerFixture manager, string value)
    {
        using var client = WithToken(manager, value);
        return await client.GetJsonAsync("/api/v3.1/user");
    }
}
