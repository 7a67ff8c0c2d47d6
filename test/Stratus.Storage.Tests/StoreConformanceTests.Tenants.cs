using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task EnsureTenantAsync_ReturnsSameTenant_WhenCalledTwice()
    {
        var first = await Store.EnsureTenantAsync("default_tenant", Token);
        var second = await Store.EnsureTenantAsync("default_tenant", Token);

        Assert.Equal(first, second);
        Assert.Equal(first, await Store.GetTenantAsync("default_tenant", Token));
    }

    [Fact]
    public async Task ListTenantsAsync_ListsEveryTenantByName_WhenSeveralExist()
    {
        await Store.EnsureTenantAsync("zeta", Token);
        await Store.EnsureTenantAsync("alpha", Token);

        var tenants = await Store.ListTenantsAsync(Token);

        Assert.Equal(["alpha", "zeta"], tenants.Select(t => t.Name));
        Assert.Null(await Store.GetTenantAsync("missing", Token));
    }

    [Fact]
    public async Task CreateUserAsync_RoundTrips_WhenUsernameIsNew()
    {
        var user = new User { Username = "admin", PasswordHash = "pbkdf2$x", Role = "sys_admin", CreatedAt = Time.GetUtcNow() };

        await Store.CreateUserAsync(user, Token);
        var stored = await Store.GetUserAsync("admin", Token);

        Assert.NotNull(stored);
        Assert.True(stored.StorageId > 0);
        Assert.Equal(user with { StorageId = stored.StorageId }, stored);
        Assert.Null(await Store.GetUserAsync("nobody", Token));
    }

    [Fact]
    public async Task CreateUserAsync_Throws409_WhenUsernameTaken()
    {
        var user = new User { Username = "admin", PasswordHash = "h", Role = "sys_admin", CreatedAt = Time.GetUtcNow() };
        await Store.CreateUserAsync(user, Token);

        var error = await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.CreateUserAsync(user, Token));
        Assert.Contains("admin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetUserTenantRoleAsync_ReplacesRole_WhenSetTwice()
    {
        await Store.CreateUserAsync(new User { Username = "bob", PasswordHash = "h", Role = "default", CreatedAt = Time.GetUtcNow() }, Token);
        await Store.EnsureTenantAsync("t1", Token);
        await Store.EnsureTenantAsync("t2", Token);

        await Store.SetUserTenantRoleAsync("bob", "t1", "viewer", Token);
        await Store.SetUserTenantRoleAsync("bob", "t2", "user", Token);
        await Store.SetUserTenantRoleAsync("bob", "t1", "manager", Token);

        var roles = await Store.GetUserTenantRolesAsync("bob", Token);
        Assert.Equal(new Dictionary<string, string> { ["t1"] = "manager", ["t2"] = "user" }, roles);
    }

    [Fact]
    public async Task SetUserTenantRoleAsync_Rejects_WhenTenantUserOrRoleUnknown()
    {
        await Store.CreateUserAsync(new User { Username = "bob", PasswordHash = "h", Role = "default", CreatedAt = Time.GetUtcNow() }, Token);
        await Store.EnsureTenantAsync("t1", Token);

        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.SetUserTenantRoleAsync("bob", "nope", "user", Token));
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.SetUserTenantRoleAsync("nobody", "t1", "user", Token));
        await AssertStratusAsync(ErrorCodes.BadParameters, 400, () => Store.SetUserTenantRoleAsync("bob", "t1", "emperor", Token));
        Assert.Empty(await Store.GetUserTenantRolesAsync("bob", Token));
    }
}
