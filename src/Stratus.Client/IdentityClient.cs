using System.Text.Json.Nodes;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary>Tenants, users, user groups and API tokens, with cloudify_rest_client's paths and bodies.</summary>
public sealed class IdentityClient
{
    private readonly RestTransport _transport;

    internal IdentityClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<Tenant>> ListTenantsAsync(bool getData = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<ListResponse<Tenant>>(HttpMethod.Get, _transport.Url("/tenants", GetData(getData)), null, cancellationToken);

    public Task<Tenant> CreateTenantAsync(string name, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Tenant>(HttpMethod.Post, _transport.Url("/tenants/" + Esc(name)), JsonBody.From([]), cancellationToken);

    public Task DeleteTenantAsync(string name, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, _transport.Url("/tenants/" + Esc(name)), null, cancellationToken);

    /// <summary>Adds a user (<paramref name="group"/> false) or a user group to a tenant with a tenant role.</summary>
    public Task<Tenant> AddToTenantAsync(string member, string tenant, string role, bool group = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Tenant>(HttpMethod.Put, _transport.Url(TenantMembers(group)), Membership(member, tenant, group, role), cancellationToken);

    public Task<Tenant> UpdateInTenantAsync(string member, string tenant, string role, bool group = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Tenant>(HttpMethod.Patch, _transport.Url(TenantMembers(group)), Membership(member, tenant, group, role), cancellationToken);

    public Task RemoveFromTenantAsync(string member, string tenant, bool group = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, _transport.Url(TenantMembers(group)), Membership(member, tenant, group, null), cancellationToken);

    public Task<ListResponse<User>> ListUsersAsync(bool getData = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<ListResponse<User>>(HttpMethod.Get, _transport.Url("/users", GetData(getData)), null, cancellationToken);

    public Task<User> GetUserAsync(string username, bool getData = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<User>(HttpMethod.Get, _transport.Url("/users/" + Esc(username), GetData(getData)), null, cancellationToken);

    public Task<User> CreateUserAsync(string username, string password, string role, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<User>(
            HttpMethod.Put,
            _transport.Url("/users"),
            JsonBody.From(new JsonObject { ["username"] = username, ["password"] = password, ["role"] = role }),
            cancellationToken);

    public Task DeleteUserAsync(string username, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, _transport.Url("/users/" + Esc(username)), null, cancellationToken);

    public Task<User> SetPasswordAsync(string username, string password, CancellationToken cancellationToken = default) =>
        UserSettingAsync(username, new JsonObject { ["password"] = password }, cancellationToken);

    public Task<User> SetRoleAsync(string username, string role, CancellationToken cancellationToken = default) =>
        UserSettingAsync(username, new JsonObject { ["role"] = role }, cancellationToken);

    public Task<User> SetActiveAsync(string username, bool active, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<User>(
            HttpMethod.Post,
            _transport.Url("/users/active/" + Esc(username)),
            JsonBody.From(new JsonObject { ["action"] = active ? "activate" : "deactivate" }),
            cancellationToken);

    public Task<User> UnlockAsync(string username, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<User>(HttpMethod.Post, _transport.Url("/users/unlock/" + Esc(username)), null, cancellationToken);

    public Task<ListResponse<UserGroup>> ListGroupsAsync(bool getData = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<ListResponse<UserGroup>>(HttpMethod.Get, _transport.Url("/user-groups", GetData(getData)), null, cancellationToken);

    public Task<UserGroup> CreateGroupAsync(string name, string role, string? ldapDn = null, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<UserGroup>(
            HttpMethod.Post,
            _transport.Url("/user-groups"),
            JsonBody.From(new JsonObject { ["group_name"] = name, ["ldap_group_dn"] = ldapDn, ["role"] = role }),
            cancellationToken);

    public Task DeleteGroupAsync(string name, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, _transport.Url("/user-groups/" + Esc(name)), null, cancellationToken);

    public Task<UserGroup> AddUserToGroupAsync(string username, string group, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<UserGroup>(
            HttpMethod.Put, _transport.Url("/user-groups/users"), JsonBody.From(new JsonObject { ["username"] = username, ["group_name"] = group }), cancellationToken);

    public Task RemoveUserFromGroupAsync(string username, string group, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(
            HttpMethod.Delete, _transport.Url("/user-groups/users"), JsonBody.From(new JsonObject { ["username"] = username, ["group_name"] = group }), cancellationToken);

    public Task<ListResponse<ApiToken>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        _transport.SendAsync<ListResponse<ApiToken>>(HttpMethod.Get, _transport.Url("/tokens"), null, cancellationToken);

    /// <summary><paramref name="expiration"/> as cfy takes it: <c>YYYY-MM-DD HH:MM</c> or <c>+10h</c>-style deltas.</summary>
    public Task<ApiToken> CreateTokenAsync(string? description = null, string? expiration = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        if (description is not null)
        {
            body["description"] = description;
        }

        if (expiration is not null)
        {
            body["expiration_date"] = expiration;
        }

        return _transport.SendAsync<ApiToken>(HttpMethod.Post, _transport.Url("/tokens"), JsonBody.From(body), cancellationToken);
    }

    public Task DeleteTokenAsync(string id, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, _transport.Url("/tokens/" + Esc(id)), null, cancellationToken);

    private Task<User> UserSettingAsync(string username, JsonObject body, CancellationToken cancellationToken) =>
        _transport.SendAsync<User>(HttpMethod.Post, _transport.Url("/users/" + Esc(username)), JsonBody.From(body), cancellationToken);

    private static string TenantMembers(bool group) => group ? "/tenants/user-groups" : "/tenants/users";

    private static StringContent Membership(string member, string tenant, bool group, string? role)
    {
        var body = new JsonObject { [group ? "group_name" : "username"] = member, ["tenant_name"] = tenant };
        if (role is not null)
        {
            body["role"] = role;
        }

        return JsonBody.From(body);
    }

    private static QueryBuilder? GetData(bool getData)
    {
        if (!getData)
        {
            return null;
        }

        var query = new QueryBuilder();
        query.Add("_get_data", "true");
        return query;
    }

    private static string Esc(string value) => Uri.EscapeDataString(value);
}
