using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class SecretTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Put_ThenGetAndList_AnswerCloudifyShapes_WithTheValueOnlyOnGet()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var created = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/secrets/db_password", new JsonObject { ["value"] = "s3cr3t", ["is_hidden_value"] = true, ["visibility"] = "tenant" });
        var got = await manager.Client.GetJsonAsync("/api/v3.1/secrets/db_password");
        var listed = await manager.Client.GetJsonAsync("/api/v3.1/secrets");

        Assert.True(created.Status == HttpStatusCode.OK, $"{(int)created.Status} {created.Body?.ToJsonString()}");
        WireFiles.AssertSameFields(WireFiles.Body("36-secret-create"), created.Body, "created secret");
        Assert.NotEqual("s3cr3t", created.Body!["value"]!.GetValue<string>());
        WireFiles.AssertSameFields(WireFiles.Body("37-secret-get"), got.Body, "secret");
        Assert.Equal("s3cr3t", got.Body!["value"]!.GetValue<string>());
        Assert.True(got.Body!["is_hidden_value"]!.GetValue<bool>());
        Assert.Equal("admin", got.Body!["created_by"]!.GetValue<string>());
        WireFiles.AssertSameFields(WireFiles.Body("38-secrets-list"), listed.Body, "secrets list");
        WireFiles.AssertSameFields(WireFiles.Body("38-secrets-list")["items"]![0], listed.Body!["items"]![0], "secrets list item");
        Assert.Equal(1, listed.Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Put_Answers409ForAnExistingKey_UnlessUpdateIfExists_WhichReplacesOnlyTheValue()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k1", new JsonObject { ["value"] = "one", ["is_hidden_value"] = true });

        var conflict = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k1", new JsonObject { ["value"] = "two" });
        var kept = await manager.Client.GetJsonAsync("/api/v3.1/secrets/k1");
        var updated = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/secrets/k1", new JsonObject { ["value"] = "three", ["update_if_exists"] = true, ["is_hidden_value"] = false });
        var after = await manager.Client.GetJsonAsync("/api/v3.1/secrets/k1");

        conflict.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Equal("one", kept.Body!["value"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("three", after.Body!["value"]!.GetValue<string>());
        Assert.True(after.Body!["is_hidden_value"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("1abc", "must begin with a letter")]
    [InlineData("a%20b", "contains illegal characters")]
    public async Task Put_Answers400_NamingTheKeyProblem(string key, string expected)
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.SendAsync(HttpMethod.Put, $"/api/v3.1/secrets/{key}", new JsonObject { ["value"] = "v" });

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains(expected, response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_Answers400_ForAMissingOrEmptyValue_AndBadVisibility_WritingNothing()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var missing = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["visibility"] = "tenant" });
        var empty = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["value"] = "" });
        var visibility = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["value"] = "v", ["visibility"] = "world" });
        var notText = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["value"] = new JsonObject { ["a"] = 1 } });

        missing.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("Missing value in json request body", missing.Body!["message"]!.GetValue<string>());
        empty.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains("Cannot create a secret with empty value", empty.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        visibility.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        notText.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal(0, (await manager.Store.ListSecretsAsync("default_tenant", Storage.ListQuery.All, Token)).Total);
    }

    [Fact]
    public async Task Put_WithSchema_StoresJson_ValidatesIt_AndGetReturnsTheStructure()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var schema = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("user") };

        var bad = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/secrets/creds", new JsonObject { ["value"] = new JsonObject { ["pw"] = "x" }, ["schema"] = schema.DeepClone() });
        var good = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/secrets/creds", new JsonObject { ["value"] = new JsonObject { ["user"] = "u", ["pw"] = "x" }, ["schema"] = schema.DeepClone() });
        var got = await manager.Client.GetJsonAsync("/api/v3.1/secrets/creds");

        bad.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Contains("'user' is a required property", bad.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, good.Status);
        Assert.Equal("u", got.Body!["value"]!["user"]!.GetValue<string>());
        Assert.Equal("object", got.Body!["schema"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_UpdatesValueAndVisibility_RefusesNarrowingAndEmptyBodies()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["value"] = "one" });

        var patched = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/secrets/k", new JsonObject { ["value"] = "two", ["visibility"] = "global" });
        var narrower = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/secrets/k", new JsonObject { ["visibility"] = "private" });
        var empty = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/secrets/k", new JsonObject());
        var missing = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/secrets/nope", new JsonObject { ["value"] = "x" });
        var got = await manager.Client.GetJsonAsync("/api/v3.1/secrets/k");

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("global", patched.Body!["visibility"]!.GetValue<string>());
        narrower.AssertError(HttpStatusCode.BadRequest, "illegal_action_error");
        empty.AssertError(HttpStatusCode.BadRequest, "illegal_action_error");
        missing.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal("two", got.Body!["value"]!.GetValue<string>());
        Assert.Equal("global", got.Body!["visibility"]!.GetValue<string>());
    }

    [Fact]
    public async Task SetVisibility_Widens_AndDelete_Answers204ThenNotFound()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["value"] = "v", ["visibility"] = "private" });

        var widened = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/secrets/k/set-visibility", new JsonObject { ["visibility"] = "tenant" });
        var invalid = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/secrets/k/set-visibility", new JsonObject { ["visibility"] = "private" });
        var deleted = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/secrets/k");
        var again = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/secrets/k");

        Assert.Equal("tenant", widened.Body!["visibility"]!.GetValue<string>());
        invalid.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        again.AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Fact]
    public async Task HiddenValue_IsBlankAndUnchangeableForOtherUsers_AndPrivateSecretsInvisible()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await AddUserAsync(manager, "alice", "user");
        await AddUserAsync(manager, "bob", "user");
        using var alice = manager.CreateClient("alice", "alice-pass");
        using var bob = manager.CreateClient("bob", "bob-pass");
        await alice.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/hidden", new JsonObject { ["value"] = "h1dden", ["is_hidden_value"] = true });
        await alice.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/mine", new JsonObject { ["value"] = "p", ["visibility"] = "private" });

        var bobGet = await bob.GetJsonAsync("/api/v3.1/secrets/hidden");
        var bobPatch = await bob.SendAsync(HttpMethod.Patch, "/api/v3.1/secrets/hidden", new JsonObject { ["value"] = "changed" });
        var bobDelete = await bob.SendAsync(HttpMethod.Delete, "/api/v3.1/secrets/hidden");
        var bobPrivate = await bob.GetJsonAsync("/api/v3.1/secrets/mine");
        var bobList = await bob.GetJsonAsync("/api/v3.1/secrets");
        var aliceGet = await alice.GetJsonAsync("/api/v3.1/secrets/hidden");
        var adminGet = await manager.Client.GetJsonAsync("/api/v3.1/secrets/hidden");
        var aliceGlobal = await alice.SendAsync(HttpMethod.Patch, "/api/v3.1/secrets/hidden", new JsonObject { ["visibility"] = "global" });

        Assert.Equal("", bobGet.Body!["value"]!.GetValue<string>());
        bobPatch.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        bobDelete.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        bobPrivate.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal(["hidden"], bobList.Body!["items"]!.AsArray().Select(i => i!["key"]!.GetValue<string>()));
        Assert.Equal("h1dden", aliceGet.Body!["value"]!.GetValue<string>());
        Assert.Equal("h1dden", adminGet.Body!["value"]!.GetValue<string>());
        aliceGlobal.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
    }

    [Fact]
    public async Task Value_IsEncryptedAtRest_NeverInTheDatabaseFileInClear()
    {
        const string Value = "clear-text-marker-7Q9Z";
        var dataDir = ManagerFixture.NewDataDir();
        await using (var manager = await ManagerFixture.StartAsync(dataDir: dataDir))
        {
            manager.KeepData = true;
            var created = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/marker", new JsonObject { ["value"] = Value });
            Assert.Equal(HttpStatusCode.OK, created.Status);
            Assert.Equal(Value, (await manager.Client.GetJsonAsync("/api/v3.1/secrets/marker")).Body!["value"]!.GetValue<string>());
        }

        try
        {
            var needle = Encoding.UTF8.GetBytes(Value);
            var files = Directory.GetFiles(dataDir, "stratus.db*");
            Assert.NotEmpty(files);
            Assert.All(files, f => Assert.True(File.ReadAllBytes(f).AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(f)} holds the value in clear"));
            Assert.True(File.Exists(Path.Combine(dataDir, "secret.key")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "secret.key")));
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Start_Refuses_WhenTheManagerRestartsWithAnotherKey()
    {
        var dataDir = ManagerFixture.NewDataDir();
        await using (var first = await ManagerFixture.StartAsync(dataDir: dataDir))
        {
            first.KeepData = true;
            await first.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["value"] = "v" });
        }

        var otherKey = Convert.ToBase64String(Core.Secrets.SecretCipher.NewKey());
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ManagerFixture.StartAsync(dataDir: dataDir, options: new ManagerOptions { DataDir = dataDir, EncryptionKey = otherKey }));
        Assert.Contains("STRATUS_ENCRYPTION_KEY", refused.Message, StringComparison.Ordinal);

        await using var again = await ManagerFixture.StartAsync(dataDir: dataDir);
        Assert.Equal("v", (await again.Client.GetJsonAsync("/api/v3.1/secrets/k")).Body!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_Refuses_AKeyThatDoesNotOpenTheSecretsOfADatabaseWithoutACheckValue()
    {
        var dataDir = ManagerFixture.NewDataDir();
        Directory.CreateDirectory(dataDir);
        var store = new Storage.Sqlite.SqliteStratusStore(Path.Combine(dataDir, "stratus.db"), TimeProvider.System);
        try
        {
            // A database of an older version: a secret sealed with its key, no check value recorded.
            var oldKey = Core.Secrets.SecretCipher.NewKey();
            await store.MigrateAsync(Token);
            await store.EnsureTenantAsync("default_tenant", Token);
            await store.InsertSecretAsync(
                new Secret
                {
                    Key = "k", TenantName = "default_tenant", CreatedBy = "admin", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
                    EncryptedValue = new Core.Secrets.SecretCipher(oldKey).Encrypt("default_tenant", "k", "v"),
                },
                Token);
            var overrides = new Hosting.HostOverrides { Store = store, RunEngine = false };

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ManagerFixture.StartAsync(
                dataDir: dataDir, options: new ManagerOptions { DataDir = dataDir, EncryptionKey = Convert.ToBase64String(Core.Secrets.SecretCipher.NewKey()) }, overrides: overrides));
            Assert.Contains("were not sealed with the key", refused.Message, StringComparison.Ordinal);

            await using var manager = await ManagerFixture.StartAsync(
                dataDir: dataDir, options: new ManagerOptions { DataDir = dataDir, EncryptionKey = Convert.ToBase64String(oldKey) }, overrides: overrides);
            manager.KeepData = true;
            Assert.Equal("v", (await manager.Client.GetJsonAsync("/api/v3.1/secrets/k")).Body!["value"]!.GetValue<string>());
        }
        finally
        {
            await store.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Get_Answers500InvalidToken_WhenTheValueWasSealedWithAnotherKey()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var other = new Core.Secrets.SecretCipher(Core.Secrets.SecretCipher.NewKey());
        await manager.Store.InsertSecretAsync(
            new Secret
            {
                Key = "k", TenantName = "default_tenant", CreatedBy = "admin", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
                EncryptedValue = other.Encrypt("default_tenant", "k", "v"),
            },
            Token);

        var got = await manager.Client.GetJsonAsync("/api/v3.1/secrets/k");

        got.AssertError(HttpStatusCode.InternalServerError, "invalid_fernet_token_format_error");
        Assert.DoesNotContain("v1:", got.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task AddUserAsync(ManagerFixture manager, string name, string tenantRole)
    {
        await manager.Store.CreateUserAsync(
            new User { Username = name, PasswordHash = PasswordHasher.Hash(name + "-pass"), Role = "default", CreatedAt = DateTimeOffset.UnixEpoch }, Token);
        await manager.Store.SetUserTenantRoleAsync(name, "default_tenant", tenantRole, Token);
    }
}
