using System.Net;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

public sealed class IdentityVerbTests
{
    private static JsonObject User(string name, JsonNode? tenants = null) => new()
    {
        ["username"] = name,
        ["role"] = "default",
        ["active"] = true,
        ["is_locked"] = false,
        ["groups"] = 0,
        ["group_system_roles"] = new JsonObject(),
        ["tenants"] = tenants ?? 1,
        ["tenant_roles"] = null,
        ["last_login_at"] = null,
    };

    [Fact]
    public async Task UsersCreate_SendsCloudifysBody_AddsToTheTenant_AndNeverPrintsThePassword()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("PUT /api/v3.1/users", User("bob"));
        cli.Manager.OnJson("PUT /api/v3.1/tenants/users", new JsonObject { ["name"] = "t1", ["users"] = 1, ["groups"] = 0 });

        var exit = await cli.RunAsync("users", "create", "bob", "-p", "s3cret-pw", "-r", "default", "-t", "t1", "-l", "viewer");

        Assert.Equal(0, exit);
        Assert.Equal("""{"username":"bob","password":"s3cret-pw","role":"default"}""", cli.Manager.Requests[0].BodyText);
        Assert.Equal("""{"username":"bob","tenant_name":"t1","role":"viewer"}""", cli.Manager.Requests[1].BodyText);
        Assert.Contains("User `bob` created with `default` security role", cli.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", cli.Out + cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersVerbs_HitCloudifysPaths()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("POST /api/v3.1/users/bob", User("bob"), User("bob"));
        cli.Manager.OnJson("POST /api/v3.1/users/active/bob", User("bob"), User("bob"));
        cli.Manager.OnJson("POST /api/v3.1/users/unlock/bob", User("bob"));
        cli.Manager.On("DELETE /api/v3.1/users/bob", _ => new HttpResponseMessage(HttpStatusCode.NoContent));

        Assert.Equal(0, await cli.RunAsync("users", "set-password", "bob", "-p", "n3w-pw"));
        Assert.Equal(0, await cli.RunAsync("users", "set-role", "bob", "-r", "sys_admin"));
        Assert.Equal(0, await cli.RunAsync("users", "deactivate", "bob"));
        Assert.Equal(0, await cli.RunAsync("users", "activate", "bob"));
        Assert.Equal(0, await cli.RunAsync("users", "unlock", "bob"));
        Assert.Equal(0, await cli.RunAsync("users", "delete", "bob"));

        Assert.Equal(
            ["""{"password":"n3w-pw"}""", """{"role":"sys_admin"}""", """{"action":"deactivate"}""", """{"action":"activate"}""", "", ""],
            cli.Manager.Requests.Select(r => r.BodyText));
        Assert.DoesNotContain("n3w-pw", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantsAndGroups_SendMembershipBodies_AndListAsTables()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("POST /api/v3.1/tenants/t1", new JsonObject { ["name"] = "t1", ["users"] = 0, ["groups"] = 0 });
        cli.Manager.OnJson("PUT /api/v3.1/tenants/user-groups", new JsonObject { ["name"] = "t1", ["users"] = 0, ["groups"] = 1 });
        cli.Manager.On("DELETE /api/v3.1/tenants/users", _ => new HttpResponseMessage(HttpStatusCode.NoContent));
        cli.Manager.OnJson("PUT /api/v3.1/user-groups/users", new JsonObject { ["name"] = "devs", ["role"] = "default", ["tenants"] = 1, ["users"] = 1 });
        cli.Manager.OnJson("GET /api/v3.1/tenants", FakeManagerList(new JsonObject { ["name"] = "t1", ["users"] = 2, ["groups"] = 1 }));

        Assert.Equal(0, await cli.RunAsync("tenants", "create", "t1"));
        Assert.Equal(0, await cli.RunAsync("tenants", "add-user-group", "devs", "-t", "t1", "-r", "user"));
        Assert.Equal(0, await cli.RunAsync("tenants", "remove-user", "bob", "-t", "t1"));
        Assert.Equal(0, await cli.RunAsync("user-groups", "add-user", "bob", "-g", "devs"));
        Assert.Equal(0, await cli.RunAsync("tenants", "list"));
        Assert.Contains("Showing 1 of 1 tenants", cli.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, await cli.RunAsync("tenants", "add-user", "bob", "-t", "t1"));

        Assert.Equal("""{"group_name":"devs","tenant_name":"t1","role":"user"}""", cli.Manager.Requests[1].BodyText);
        Assert.Equal("""{"username":"bob","tenant_name":"t1"}""", cli.Manager.Requests[2].BodyText);
        Assert.Equal("""{"username":"bob","group_name":"devs"}""", cli.Manager.Requests[3].BodyText);
        Assert.Equal(5, cli.Manager.Requests.Count);
        Assert.Contains("missing required option --role", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensCreate_ShowsTheValueOnce_AndListAddsTheOwnerForMixedLists()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("POST /api/v3.1/tokens", new JsonObject
        {
            ["id"] = "abcdefghij", ["value"] = "ctok-abcdefghij-" + new string('s', 40), ["role"] = "sys_admin", ["username"] = "admin",
            ["description"] = "ci", ["expiration_date"] = null, ["last_used"] = null,
        });
        cli.Manager.OnJson("GET /api/v3.1/tokens", FakeManagerList(
            new JsonObject { ["id"] = "abcdefghij", ["value"] = "ctok-abcdefghij-********", ["username"] = "admin", ["role"] = "sys_admin" },
            new JsonObject { ["id"] = "klmnopqrst", ["value"] = "ctok-klmnopqrst-********", ["username"] = "bob", ["role"] = "default" }));

        Assert.Equal(0, await cli.RunAsync("tokens", "create", "-d", "ci", "-e", "+10h"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"description":"ci","expiration_date":"+10h"}"""), JsonNode.Parse(cli.Manager.Requests[0].BodyText)));
        Assert.Contains("ctok-abcdefghij-" + new string('s', 40), cli.Out, StringComparison.Ordinal);
        Assert.Equal(0, await cli.RunAsync("tokens", "list"));
        Assert.Contains("username", cli.Out, StringComparison.Ordinal);
        Assert.Contains("bob", cli.Out, StringComparison.Ordinal);
    }

    private static JsonObject FakeManagerList(params JsonNode[] items) => FakeManager.List(items);
}
