using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private Task NewUserAsync(string username, string role = "default") =>
        Store.CreateUserAsync(new User { Username = username, PasswordHash = "h", Role = role, CreatedAt = Time.GetUtcNow() }, Token);

    [Fact]
    public async Task CreateTenantAsync_Throws409_WhenTheNameIsTaken()
    {
        var tenant = await Store.CreateTenantAsync("t1", Token);

        Assert.Equal("t1", tenant.Name);
        await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.CreateTenantAsync("t1", Token));
    }

    [Fact]
    public async Task DeleteTenantAsync_RefusesAndKeepsTheTenant_WhileItHasMembersOrResources()
    {
        await Store.CreateTenantAsync("t1", Token);
        await NewUserAsync("bob");
        await Store.SetUserTenantRoleAsync("bob", "t1", "user", GrantMode.Add, Token);

        var error = await AssertStratusAsync(ErrorCodes.DependentExists, 400, () => Store.DeleteTenantAsync("t1", Token));
        Assert.Contains("users (1)", error.Message, StringComparison.Ordinal);

        await Store.RemoveUserTenantRoleAsync("bob", "t1", Token);
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()) with { TenantName = "t1" }, Token);
        error = await AssertStratusAsync(ErrorCodes.DependentExists, 400, () => Store.DeleteTenantAsync("t1", Token));
        Assert.Contains("blueprints (1)", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await Store.GetTenantAsync("t1", Token));

        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.DeleteTenantAsync("nope", Token));
    }

    [Fact]
    public async Task DeleteTenantAsync_Deletes_WhenTheTenantIsEmpty()
    {
        await Store.CreateTenantAsync("t1", Token);

        await Store.DeleteTenantAsync("t1", Token);

        Assert.Null(await Store.GetTenantAsync("t1", Token));
    }

    [Fact]
    public async Task SetUserTenantRoleAsync_AddConflicts_AndUpdateNeedsAnExistingMember()
    {
        await Store.CreateTenantAsync("t1", Token);
        await NewUserAsync("bob");

        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.SetUserTenantRoleAsync("bob", "t1", "viewer", GrantMode.Update, Token));
        await Store.SetUserTenantRoleAsync("bob", "t1", "viewer", GrantMode.Add, Token);
        await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.SetUserTenantRoleAsync("bob", "t1", "user", GrantMode.Add, Token));
        await Store.SetUserTenantRoleAsync("bob", "t1", "operations", GrantMode.Update, Token);

        Assert.Equal("operations", (await Store.GetUserTenantRolesAsync("bob", Token))["t1"]);
        await Store.RemoveUserTenantRoleAsync("bob", "t1", Token);
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.RemoveUserTenantRoleAsync("bob", "t1", Token));
    }

    [Fact]
    public async Task GetUserAccessAsync_JoinsDirectAndGroupRoles_InTheAskedTenantOnly()
    {
        await Store.CreateTenantAsync("t1", Token);
        await Store.CreateTenantAsync("t2", Token);
        await NewUserAsync("bob");
        await Store.CreateUserGroupAsync(new UserGroup { Name = "ops", Role = "sys_admin", CreatedAt = Time.GetUtcNow() }, Token);
        await Store.AddUserToGroupAsync("bob", "ops", Token);
        await Store.SetUserTenantRoleAsync("bob", "t1", "viewer", GrantMode.Add, Token);
        await Store.SetGroupTenantRoleAsync("ops", "t1", "manager", GrantMode.Add, Token);
        await Store.SetGroupTenantRoleAsync("ops", "t2", "user", GrantMode.Add, Token);

        var access = await Store.GetUserAccessAsync("bob", "t1", Token);

        Assert.NotNull(access);
        Assert.Equal(["manager", "viewer"], access.TenantRoles);
        Assert.Equal(["sys_admin"], access.GroupSystemRoles);
        Assert.Equal(["user"], (await Store.GetUserAccessAsync("bob", "t2", Token))!.TenantRoles);
        Assert.Null(await Store.GetUserAccessAsync("nobody", "t1", Token));
    }

    [Fact]
    public async Task UserGroups_RejectDuplicatesAndUnknowns_AndCascadeOnDelete()
    {
        await Store.CreateTenantAsync("t1", Token);
        await NewUserAsync("bob");
        var group = new UserGroup { Name = "g", LdapDn = "cn=g", Role = "default", CreatedAt = Time.GetUtcNow() };
        await Store.CreateUserGroupAsync(group, Token);
        await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.CreateUserGroupAsync(group, Token));
        await AssertStratusAsync(ErrorCodes.BadParameters, 400, () => Store.CreateUserGroupAsync(group with { Name = "h", Role = "viewer" }, Token));
        await Store.AddUserToGroupAsync("bob", "g", Token);
        await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.AddUserToGroupAsync("bob", "g", Token));
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.AddUserToGroupAsync("nobody", "g", Token));
        await Store.SetGroupTenantRoleAsync("g", "t1", "user", GrantMode.Add, Token);
        await Store.SetUserGroupRoleAsync("g", "sys_admin", Token);

        var identity = await Store.ReadIdentityAsync(Token);
        Assert.Equal([new GroupMembership("g", "bob")], identity.Memberships);
        Assert.Equal([new TenantGrant("t1", "g", "user")], identity.GroupGrants);
        Assert.Equal("sys_admin", Assert.Single(identity.Groups).Role);

        await Store.DeleteUserGroupAsync("g", Token);
        identity = await Store.ReadIdentityAsync(Token);
        Assert.Empty(identity.Groups);
        Assert.Empty(identity.Memberships);
        Assert.Empty(identity.GroupGrants);
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.DeleteUserGroupAsync("g", Token));
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.RemoveUserFromGroupAsync("bob", "g", Token));
    }

    [Fact]
    public async Task UpdateUserAsync_KeepsTheLastActiveSysAdmin_AndAppliesOtherChanges()
    {
        await NewUserAsync("admin", "sys_admin");
        await NewUserAsync("bob");

        var error = await AssertStratusAsync(ErrorCodes.BadParameters, 400, () => Store.UpdateUserAsync("admin", new UserUpdate { Active = false }, Token));
        Assert.Contains("last active sys_admin", error.Message, StringComparison.Ordinal);
        await AssertStratusAsync(ErrorCodes.BadParameters, 400, () => Store.UpdateUserAsync("admin", new UserUpdate { Role = "default" }, Token));
        await AssertStratusAsync(ErrorCodes.BadParameters, 400, () => Store.DeleteUserAsync("admin", Token));

        var bob = await Store.UpdateUserAsync("bob", new UserUpdate { Role = "sys_admin", PasswordHash = "h2", ShowGettingStarted = false }, Token);
        Assert.Equal(("sys_admin", "h2", false), (bob.Role, bob.PasswordHash, bob.ShowGettingStarted));
        var admin = await Store.UpdateUserAsync("admin", new UserUpdate { Active = false }, Token);
        Assert.False(admin.Active);
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.UpdateUserAsync("nobody", new UserUpdate { Unlock = true }, Token));
    }

    [Fact]
    public async Task RecordLoginAsync_CountsFailures_AndSuccessClearsThemAndStampsLogins()
    {
        await NewUserAsync("bob");
        var first = Time.GetUtcNow();

        await Store.RecordLoginAsync("bob", succeeded: false, first, Token);
        await Store.RecordLoginAsync("bob", succeeded: false, first, Token);
        var failed = await Store.GetUserAsync("bob", Token);
        Assert.Equal((2, first, (DateTimeOffset?)null), (failed!.FailedLoginsCounter, failed.LastFailedLoginAt!.Value, failed.FirstLoginAt));

        await Store.RecordLoginAsync("bob", succeeded: true, first, Token);
        await Store.RecordLoginAsync("bob", succeeded: true, first.AddMinutes(5), Token);
        var ok = await Store.GetUserAsync("bob", Token);
        Assert.Equal((0, first, first.AddMinutes(5)), (ok!.FailedLoginsCounter, ok.FirstLoginAt!.Value, ok.LastLoginAt!.Value));

        await Store.RecordLoginAsync("bob", succeeded: false, first, Token);
        Assert.Equal(0, (await Store.UpdateUserAsync("bob", new UserUpdate { Unlock = true }, Token)).FailedLoginsCounter);
    }

    [Fact]
    public async Task DeleteUserAsync_Refuses_WhileTheUserOwnsResources_AndTakesTokensAlong()
    {
        await NewUserAsync("admin", "sys_admin");
        await NewUserAsync("bob");
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()) with { CreatedBy = "bob" }, Token);
        await Store.CreateTokenAsync(new ApiToken { Id = "abc", SecretHash = "s", Username = "bob", CreatedAt = Time.GetUtcNow() }, Token);

        var error = await AssertStratusAsync(ErrorCodes.DependentExists, 400, () => Store.DeleteUserAsync("bob", Token));
        Assert.Contains("has blueprints", error.Message, StringComparison.Ordinal);

        await Store.DeleteBlueprintAsync(Make.Tenant, "bp", Token);
        await Store.DeleteUserAsync("bob", Token);
        Assert.Null(await Store.GetUserAsync("bob", Token));
        Assert.Null(await Store.GetTokenAsync("abc", Token));
    }

    [Fact]
    public async Task Tokens_RoundTripWithTheirOwner_ListPerUser_AndExpire()
    {
        await NewUserAsync("admin", "sys_admin");
        await NewUserAsync("bob");
        var now = Time.GetUtcNow();
        var token = new ApiToken { Id = "t1", SecretHash = "hash", Description = "ci", Username = "bob", CreatedAt = now, ExpirationDate = now.AddHours(1) };
        await Store.CreateTokenAsync(token, Token);
        await Store.CreateTokenAsync(new ApiToken { Id = "t2", SecretHash = "x", Username = "admin", CreatedAt = now }, Token);
        await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.CreateTokenAsync(token, Token));

        Assert.Equal(token with { UserRole = "default" }, await Store.GetTokenAsync("t1", Token));
        Assert.Equal(["t1"], (await Store.ListTokensAsync("bob", Token)).Select(t => t.Id));
        Assert.Equal(["t1", "t2"], (await Store.ListTokensAsync(null, Token)).Select(t => t.Id));

        await Store.TouchTokenAsync("t1", now.AddMinutes(1), Token);
        Assert.Equal(now.AddMinutes(1), (await Store.GetTokenAsync("t1", Token))!.LastUsed);

        await Store.DeleteExpiredTokensAsync("bob", now.AddMinutes(59), Token);
        Assert.NotNull(await Store.GetTokenAsync("t1", Token));
        await Store.DeleteExpiredTokensAsync("bob", now.AddHours(1), Token);
        Assert.Null(await Store.GetTokenAsync("t1", Token));
        Assert.True(await Store.DeleteTokenAsync("t2", Token));
        Assert.False(await Store.DeleteTokenAsync("t2", Token));
    }
}
