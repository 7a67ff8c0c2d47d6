using System.Net;
using System.Text.Json.Nodes;
using Stratus.Cli.Commands;
using Stratus.Cli.Parsing;

namespace Stratus.Cli.Tests;

public sealed class SecretVerbTests
{
    private static JsonObject Secret(string key, JsonNode? value = null, bool hidden = false) => new()
    {
        ["key"] = key,
        ["value"] = value,
        ["created_at"] = "2026-11-26T06:08:22.336Z",
        ["updated_at"] = "2026-11-26T06:08:22.336Z",
        ["visibility"] = "tenant",
        ["tenant_name"] = "default_tenant",
        ["created_by"] = "admin",
        ["is_hidden_value"] = hidden,
        ["provider_name"] = null,
        ["schema"] = null,
    };

    [Fact]
    public async Task SecretsCreate_SendsCfysBody_AndNeverPrintsTheValue()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("PUT /api/v3.1/secrets/db_password", Secret("db_password", "v1:opaque"));

        var exit = await cli.RunAsync("secrets", "create", "db_password", "-s", "pa55-word", "--hidden-value", "-u", "-l", "private");

        Assert.Equal(0, exit);
        var request = Assert.Single(cli.Manager.Requests);
        Assert.Equal(
            new JsonObject { ["value"] = "pa55-word", ["update_if_exists"] = true, ["is_hidden_value"] = true, ["visibility"] = "private" }.ToJsonString(),
            request.BodyText);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Contains("Secret `db_password` created", cli.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55-word", cli.Out + cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretsCreate_WithDict_SendsTheValueAsJsonWithAnObjectSchema_AndRefusesBadJsonLocally()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("PUT /api/v3.1/secrets/creds", Secret("creds"));

        var exit = await cli.RunAsync("secrets", "create", "creds", "-s", """{"user": "u"}""", "--dict");
        var bad = await cli.RunAsync("secrets", "create", "creds", "-s", "not-json-p4ss", "--dict");

        Assert.Equal(0, exit);
        var body = JsonNode.Parse(Assert.Single(cli.Manager.Requests).BodyText)!;
        Assert.Equal("u", body["value"]!["user"]!.GetValue<string>());
        Assert.Equal("object", body["schema"]!["type"]!.GetValue<string>());
        Assert.NotEqual(0, bad);
        Assert.DoesNotContain("not-json-p4ss", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretsCreate_RefusesAMissingValueAndABadVisibility_BeforeCallingTheManager()
    {
        using var cli = new CliRun();

        var missing = await cli.RunAsync("secrets", "create", "k");
        var visibility = await cli.RunAsync("secrets", "create", "k", "-s", "v", "-l", "world");
        var file = await cli.RunAsync("secrets", "create", "k", "-f", "/nonexistent/secret.txt");

        Assert.NotEqual(0, missing);
        Assert.NotEqual(0, visibility);
        Assert.NotEqual(0, file);
        Assert.Contains("File does not exist: /nonexistent/secret.txt", cli.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Manager.Requests);
    }

    [Fact]
    public async Task SecretsGet_PrintsTheValue_OrStarsForAHiddenOne()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/secrets/shown", Secret("shown", "visible-value"));
        cli.Manager.OnJson("GET /api/v3.1/secrets/hidden", Secret("hidden", "", hidden: true));

        var shown = await cli.RunAsync("secrets", "get", "shown");
        var shownOut = cli.Out;
        var hidden = await cli.RunAsync("secrets", "get", "hidden");

        Assert.Equal(0, shown);
        Assert.Contains("visible-value", shownOut, StringComparison.Ordinal);
        Assert.Equal(0, hidden);
        Assert.Contains("*********", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretsList_SortsSearchesPages_AndPrintsTableWithTotal()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/secrets", FakeManager.List(Secret("db_password")));

        var exit = await cli.RunAsync("secrets", "list", "--search", "db", "--descending", "-o", "0", "--pagination-size", "5");

        Assert.Equal(0, exit);
        var query = Uri.UnescapeDataString(Assert.Single(cli.Manager.Requests).Uri.Query);
        Assert.Contains("_sort=-key", query, StringComparison.Ordinal);
        Assert.Contains("_search=db", query, StringComparison.Ordinal);
        Assert.Contains("_size=5", query, StringComparison.Ordinal);
        Assert.Contains("| db_password |", cli.Out, StringComparison.Ordinal);
        Assert.Contains("Showing 1 of 1 secrets", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretsUpdate_SendsOnlyWhatIsGiven_AndSetVisibilityAndDeleteCallTheirEndpoints()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("PATCH /api/v3.1/secrets/k", Secret("k"));
        cli.Manager.OnJson("PATCH /api/v3.1/secrets/k/set-visibility", Secret("k"));
        cli.Manager.On("DELETE /api/v3.1/secrets/k", _ => new HttpResponseMessage(HttpStatusCode.NoContent));

        var update = await cli.RunAsync("secrets", "update", "k", "-l", "global", "--not-hidden-value");
        var visibility = await cli.RunAsync("secrets", "set-visibility", "k", "-l", "global");
        var delete = await cli.RunAsync("secrets", "delete", "k");

        Assert.Equal([0, 0, 0], new[] { update, visibility, delete });
        Assert.Equal("""{"visibility":"global","is_hidden_value":false}""", cli.Manager.Requests[0].BodyText);
        Assert.Equal("""{"visibility":"global"}""", cli.Manager.Requests[1].BodyText);
        Assert.Equal(HttpMethod.Delete, cli.Manager.Requests[2].Method);
    }

    [Fact]
    public void ManagerStart_TakesTheKeyFileFlag_OverTheEnvironmentKey()
    {
        var parser = new ArgumentParser(CommandCatalog.All);
        var withFlag = parser.Parse(["manager", "start", "--encryption-key-file", "/keys/k", "--data-dir", "/d"]);
        var withoutFlag = parser.Parse(["manager", "start", "--data-dir", "/d"]);

        var flagged = ManagerCommands.ToOptions(withFlag, _ => "ZW52LWtleQ==");
        var fromEnvironment = ManagerCommands.ToOptions(withoutFlag, name => name == "STRATUS_ENCRYPTION_KEY" ? "ZW52LWtleQ==" : null);

        Assert.Equal("/keys/k", flagged.EncryptionKeyFile);
        Assert.Null(flagged.EncryptionKey);
        Assert.Equal("ZW52LWtleQ==", fromEnvironment.EncryptionKey);
        Assert.Null(fromEnvironment.EncryptionKeyFile);
    }
}
