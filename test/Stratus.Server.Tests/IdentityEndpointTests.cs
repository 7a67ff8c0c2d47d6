using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class IdentityEndpointTests
{
    private static string Message((HttpStatusCode Status, JsonNode? Body) response) => response.Body!["message"]!.GetValue<string>();

    [Fact]
    public async Task Tenants_CreateListGetAndRenderMembers_AsCloudifyDoes()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.AddTenantAsync("t1");
        await manager.AddUserAsync("bob", "bob-pass");
        await manager.GrantAsync("bob", "t1", "viewer");
        await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/user-groups", new JsonObject { ["group_name"] = "devs", ["role"] = "default" });
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/user-groups/users", new JsonObject { ["username"] = "bob", ["group_name"] = "devs" });
        await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/tenants/user-groups", new JsonObject { ["group_name"] = "devs", ["tenant_name"] = "t1", ["role"] = "manager" });

        var list = await manager.Client.GetJsonAsync("/api/v3.1/tenants?_search=t");
        var detailed = await manager.Client.GetJsonAsync("/api/v3.1/tenants/t1?_get_data=true");

        var t1 = list.Body!["items"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "t1")!;
        WireFiles.AssertSameFields(WireFiles.Body("42-tenants-list")["items"]![0], t1, "tenant");
        Assert.Equal((1, 1), (t1["users"]!.GetValue<int>(), t1["groups"]!.GetValue<int>()));
        var expected = JsonNode.Parse("""
            {"groups": {"devs": "manager"}, "name": "t1", "rabbitmq_password": null, "rabbitmq_username": null, "rabbitmq_vhost": null,
             "user_roles": {"direct": {"bob": "viewer"}, "groups": {"devs": {"role": "manager", "users": ["bob"]}}},
             "users": {"bob": {"roles": ["manager", "viewer"], "tenant-role": "viewer"}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, detailed.Body), detailed.Body?.ToJsonString());
    }

    [Fact]
    public async Task TenantCreate_RejectsBadNamesDuplicatesAndReservedWords()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.AddTenantAsync("t1");

        (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/tenants/t1")).AssertError(HttpStatusCode.Conflict, "conflict_error");
        var digit = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/tenants/1abc");
        digit.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("The `tenant_name` argument must begin with a letter", Message(digit));
        (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/tenants/a%20b")).AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/tenants/users")).AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
    }

    [Fact]
    public async Task TenantDelete_RefusesWhileItHasMembersOrResources_AndTheDefaultTenant()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.AddTenantAsync("t1");
        using var bob = await manager.MemberAsync("bob", "user", tenant: "t1");
        await bob.UploadValidAsync("bp");

        var withUser = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/tenants/t1");
        withUser.AssertError(HttpStatusCode.BadRequest, "dependent_exists_error");
        Assert.Contains("blueprints (1)", Message(withUser), StringComparison.Ordinal);
        Assert.Contains("users (1)", Message(withUser), StringComparison.Ordinal);
        (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/tenants/default_tenant")).AssertError(HttpStatusCode.Forbidden, "forbidden_error");

        Assert.Equal(HttpStatusCode.NoContent, (await bob.SendAsync(HttpMethod.Delete, "/api/v3.1/blueprints/bp")).Status);
        var removed = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/tenants/users", new JsonObject { ["username"] = "bob", ["tenant_name"] = "t1" });
        Assert.Equal(HttpStatusCode.NoContent, removed.Status);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/tenants/t1")).Status);
        (await manager.Client.GetJsonAsync("/api/v3.1/tenants/t1")).AssertError(HttpStatusCode.Forbidden, "forbidden_error");
    }

    [Fact]
    public async Task TenantUsers_ValidateRolesAndMembership()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.AddTenantAsync("t1");
        await manager.AddUserAsync("bob", "bob-pass");
        JsonObject Body(string? role) => role is null
            ? new JsonObject { ["username"] = "bob", ["tenant_name"] = "t1" }
            : new JsonObject { ["username"] = "bob", ["tenant_name"] = "t1", ["role"] = role };

        var sysRole = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/tenants/users", Body("sys_admin"));
        var updateFirst = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/tenants/users", Body("viewer"));
        var defaulted = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/tenants/users", Body(null));
        var again = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/tenants/users", Body("viewer"));
        var updated = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/tenants/users", Body("operations"));
        var missingTenant = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/tenants/users", new JsonObject { ["username"] = "bob", ["role"] = "user" });

        sysRole.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("Role `sys_admin` is a system_role and cannot be assigned as a tenant_role", Message(sysRole));
        updateFirst.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal(HttpStatusCode.OK, defaulted.Status);
        again.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        missingTenant.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("Missing tenant_name in json request body", Message(missingTenant));
        var roles = await manager.Store.GetUserTenantRolesAsync("bob", TestContext.Current.CancellationToken);
        Assert.Equal("operations", roles["t1"]);
    }

    [Fact]
    public async Task Users_CreateGetListAndRender_WithCloudifysFields()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.AddUserAsync("bob", "bob-pass");
        await manager.GrantAsync("bob", "default_tenant", "viewer");

        var self = await manager.Client.GetJsonAsync("/api/v3.1/user");
        var bob = await manager.Client.GetJsonAsync("/api/v3.1/users/bob");
        var data = await manager.Client.GetJsonAsync("/api/v3.1/users?_get_data=true&username=bob");
        var duplicate = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/users", new JsonObject { ["username"] = "bob", ["password"] = "x" });
        var badRole = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/users", new JsonObject { ["username"] = "eve", ["password"] = "x", ["role"] = "viewer" });
        var noPassword = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/users", new JsonObject { ["username"] = "eve", ["password"] = "" });

        WireFiles.AssertSameFields(WireFiles.Body("41-user-self"), self.Body, "user");
        Assert.NotNull(self.Body!["last_login_at"]);
        WireFiles.AssertSameFields(WireFiles.Body("41-user-self"), bob.Body, "user");
        Assert.Equal(("default", 1, false, true), (bob.Body!["role"]!.GetValue<string>(), bob.Body["tenants"]!.GetValue<int>(), bob.Body["is_locked"]!.GetValue<bool>(), bob.Body["active"]!.GetValue<bool>()));
        var item = Assert.Single(data.Body!["items"]!.AsArray())!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"default_tenant": {"roles": ["viewer"], "tenant-role": "viewer"}}"""), item["tenants"]), item.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"direct": {"default_tenant": "viewer"}, "groups": {}}"""), item["tenant_roles"]), item.ToJsonString());
        duplicate.AssertError(HttpStatusCode.Conflict, "conflict_error");
        badRole.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        noPassword.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Null(await manager.Store.GetUserAsync("eve", TestContext.Current.CancellationToken));
        Assert.DoesNotContain("pbkdf2", data.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserSettings_FollowCloudifysRules()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var bob = await manager.MemberAsync("bob", "user");
        await manager.AddUserAsync("carol", "carol-pass");

        var both = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/users/bob", new JsonObject { ["password"] = "p", ["role"] = "sys_admin" });
        var nothing = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/users/bob", new JsonObject());
        var othersPassword = await bob.SendAsync(HttpMethod.Post, "/api/v3.1/users/carol", new JsonObject { ["password"] = "hijack" });
        var ownRole = await bob.SendAsync(HttpMethod.Post, "/api/v3.1/users/bob", new JsonObject { ["role"] = "sys_admin" });
        var promoted = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/users/bob", new JsonObject { ["role"] = "sys_admin" });
        var hidden = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/users/bob", new JsonObject { ["show_getting_started"] = false });

        both.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        nothing.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        othersPassword.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Equal("User `bob` is not permitted to perform the action user_update", Message(othersPassword));
        ownRole.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Equal("sys_admin", promoted.Body!["role"]!.GetValue<string>());
        Assert.False(hidden.Body!["show_getting_started"]!.GetValue<bool>());
        using var carol = manager.CreateClient("carol", "carol-pass");
        Assert.Equal(HttpStatusCode.OK, (await carol.GetJsonAsync("/api/v3.1/user")).Status);
    }

    [Fact]
    public async Task LastActiveSysAdmin_CannotBeDeletedDeactivatedOrDemoted()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var delete = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/users/admin");
        var deactivate = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/users/active/admin", new JsonObject { ["action"] = "deactivate" });
        var demote = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/users/admin", new JsonObject { ["role"] = "default" });

        Assert.Equal("Cannot delete the last active sys_admin", Message(delete));
        Assert.Equal("Cannot deactivate the last active sys_admin", Message(deactivate));
        Assert.Equal("Cannot modify the role of the last active sys_admin", Message(demote));
        Assert.Equal(HttpStatusCode.OK, (await manager.Client.GetJsonAsync("/api/v3.1/user")).Status);
    }

    [Fact]
    public async Task UserDelete_RefusesAnOwnerOfResources_ThenDeletes()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var bob = await manager.MemberAsync("bob", "user");
        await bob.UploadValidAsync("bp");

        var refused = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/users/bob");
        refused.AssertError(HttpStatusCode.BadRequest, "dependent_exists_error");
        Assert.Contains("has blueprints", Message(refused), StringComparison.Ordinal);

        await bob.SendAsync(HttpMethod.Delete, "/api/v3.1/blueprints/bp");
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/users/bob")).Status);
        (await manager.Client.GetJsonAsync("/api/v3.1/users/bob")).AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetJsonAsync("/api/v3.1/user")).Status);
    }

    [Fact]
    public async Task UserGroups_CreateAddUsersAndRender()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.AddUserAsync("bob", "bob-pass");
        await manager.AddTenantAsync("t1");

        var created = await manager.Client.SendAsync(
            HttpMethod.Post, "/api/v3.1/user-groups", new JsonObject { ["group_name"] = "devs", ["role"] = "default", ["ldap_group_dn"] = "cn=devs" });
        var duplicate = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/user-groups", new JsonObject { ["group_name"] = "devs", ["role"] = "default" });
        var reserved = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/user-groups", new JsonObject { ["group_name"] = "users", ["role"] = "default" });
        var added = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/user-groups/users", new JsonObject { ["username"] = "bob", ["group_name"] = "devs" });
        await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/tenants/user-groups", new JsonObject { ["group_name"] = "devs", ["tenant_name"] = "t1", ["role"] = "user" });
        var detailed = await manager.Client.GetJsonAsync("/api/v3.1/user-groups/devs?_get_data=true");
        var bob = await manager.Client.GetJsonAsync("/api/v3.1/users/bob?_get_data=true");
        var removed = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/user-groups/users", new JsonObject { ["username"] = "bob", ["group_name"] = "devs" });
        var removedAgain = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/user-groups/users", new JsonObject { ["username"] = "bob", ["group_name"] = "devs" });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"ldap_dn": "cn=devs", "name": "devs", "role": "default", "tenants": 0, "users": 0}"""), created.Body));
        duplicate.AssertError(HttpStatusCode.Conflict, "conflict_error");
        reserved.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal(1, added.Body!["users"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"ldap_dn": "cn=devs", "name": "devs", "role": "default", "tenants": {"t1": "user"}, "users": ["bob"]}"""), detailed.Body));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"default": ["devs"]}"""), bob.Body!["group_system_roles"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"direct": {}, "groups": {"t1": {"user": ["devs"]}}}"""), bob.Body["tenant_roles"]));
        Assert.Equal(HttpStatusCode.NoContent, removed.Status);
        removedAgain.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/user-groups/devs")).Status);
        Assert.Empty((await manager.Client.GetJsonAsync("/api/v3.1/user-groups")).Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task Bodies_NeedJson_AndNothingIsWrittenOnError()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var content = new StringContent("username=bob", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        var response = await manager.Client.PutAsync("/api/v3.1/users", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var wrongType = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/users", new JsonObject { ["username"] = 5, ["password"] = "p" });
        wrongType.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("username parameter is expected to be of type str but is of type int", Message(wrongType));
        Assert.Single((await manager.Client.GetJsonAsync("/api/v3.1/users")).Body!["items"]!.AsArray());
    }
}
