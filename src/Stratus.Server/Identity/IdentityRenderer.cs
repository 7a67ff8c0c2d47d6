using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;

namespace Stratus.Server.Identity;

/// <summary>
/// Users, tenants and groups as Cloudify renders them: memberships as counts, or with <c>_get_data</c> as maps of
/// roles (direct and by group). Rendered from one <see cref="IdentitySnapshot"/>.
/// </summary>
internal sealed class IdentityRenderer(IdentitySnapshot identity, AccountLock accountLock)
{
    private readonly ILookup<string, string> _groupsOfUser = identity.Memberships.ToLookup(m => m.Username, m => m.Group, StringComparer.Ordinal);
    private readonly ILookup<string, string> _usersOfGroup = identity.Memberships.ToLookup(m => m.Group, m => m.Username, StringComparer.Ordinal);

    public JsonObject User(User u, bool getData)
    {
        var groups = _groupsOfUser[u.Username].Order(StringComparer.Ordinal).ToList();
        var direct = identity.UserGrants.Where(g => g.Principal == u.Username).ToDictionary(g => g.Tenant, g => g.Role, StringComparer.Ordinal);
        var byGroup = identity.GroupGrants.Where(g => groups.Contains(g.Principal)).ToList();
        var tenants = direct.Keys.Concat(byGroup.Select(g => g.Tenant)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var groupSystemRoles = new JsonObject();
        foreach (var role in identity.Groups.Where(g => groups.Contains(g.Name)).GroupBy(g => g.Role))
        {
            groupSystemRoles[role.Key] = new JsonArray([.. role.Select(g => (JsonNode)g.Name)]);
        }

        JsonNode? tenantsNode = tenants.Count;
        JsonNode? tenantRoles = null;
        if (getData)
        {
            var map = new JsonObject();
            foreach (var t in tenants)
            {
                var roles = byGroup.Where(g => g.Tenant == t).Select(g => g.Role).Concat(direct.TryGetValue(t, out var d) ? [d] : [])
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                map[t] = new JsonObject { ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)r)]), ["tenant-role"] = d };
            }

            tenantsNode = map;
            var groupsByTenant = new JsonObject();
            foreach (var t in byGroup.GroupBy(g => g.Tenant).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var perRole = new JsonObject();
                foreach (var r in t.GroupBy(g => g.Role).OrderBy(r => r.Key, StringComparer.Ordinal))
                {
                    perRole[r.Key] = new JsonArray([.. r.Select(g => (JsonNode)g.Principal).Order()]);
                }

                groupsByTenant[t.Key] = perRole;
            }

            tenantRoles = new JsonObject { ["direct"] = Map(direct), ["groups"] = groupsByTenant };
        }

        return new JsonObject
        {
            ["active"] = u.Active,
            ["created_at"] = Wire.Timestamp(u.CreatedAt),
            ["first_login_at"] = Wire.Timestamp(u.FirstLoginAt),
            ["group_system_roles"] = groupSystemRoles,
            ["groups"] = getData ? new JsonArray([.. groups.Select(g => (JsonNode)g)]) : groups.Count,
            ["is_locked"] = accountLock.IsLocked(u),
            ["last_login_at"] = Wire.Timestamp(u.LastLoginAt),
            ["password_hash"] = null,
            ["role"] = u.Role,
            ["show_getting_started"] = u.ShowGettingStarted,
            ["tenant_roles"] = tenantRoles,
            ["tenants"] = tenantsNode,
            ["username"] = u.Username,
        };
    }

    public JsonObject Tenant(Tenant t, bool getData)
    {
        var direct = identity.UserGrants.Where(g => g.Tenant == t.Name).ToDictionary(g => g.Principal, g => g.Role, StringComparer.Ordinal);
        var groups = identity.GroupGrants.Where(g => g.Tenant == t.Name).ToDictionary(g => g.Principal, g => g.Role, StringComparer.Ordinal);
        var rolesByUser = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (user, role) in direct.Select(d => (d.Key, d.Value))
                     .Concat(groups.SelectMany(g => _usersOfGroup[g.Key].Select(u => (u, g.Value)))))
        {
            (rolesByUser.TryGetValue(user, out var set) ? set : rolesByUser[user] = new SortedSet<string>(StringComparer.Ordinal)).Add(role);
        }

        if (!getData)
        {
            return TenantBody(t, groups.Count, rolesByUser.Count, null);
        }

        var users = new JsonObject();
        foreach (var (user, roles) in rolesByUser)
        {
            users[user] = new JsonObject
            {
                ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)r)]),
                ["tenant-role"] = direct.GetValueOrDefault(user),
            };
        }

        var groupUsers = new JsonObject();
        foreach (var (group, role) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            groupUsers[group] = new JsonObject
            {
                ["role"] = role,
                ["users"] = new JsonArray([.. _usersOfGroup[group].Select(u => (JsonNode)u)]),
            };
        }

        return TenantBody(t, Map(groups), users, new JsonObject { ["direct"] = Map(direct), ["groups"] = groupUsers });
    }

    public JsonObject Group(UserGroup g, bool getData)
    {
        var tenants = identity.GroupGrants.Where(x => x.Principal == g.Name).ToDictionary(x => x.Tenant, x => x.Role, StringComparer.Ordinal);
        var users = _usersOfGroup[g.Name].Order(StringComparer.Ordinal).ToList();
        return new JsonObject
        {
            ["ldap_dn"] = g.LdapDn,
            ["name"] = g.Name,
            ["role"] = g.Role,
            ["tenants"] = getData ? Map(tenants) : tenants.Count,
            ["users"] = getData ? new JsonArray([.. users.Select(u => (JsonNode)u)]) : users.Count,
        };
    }

    private static JsonObject TenantBody(Tenant t, JsonNode groups, JsonNode users, JsonObject? userRoles) => new()
    {
        ["groups"] = groups,
        ["name"] = t.Name,
        ["rabbitmq_password"] = null,
        ["rabbitmq_username"] = null,
        ["rabbitmq_vhost"] = null,
        ["user_roles"] = userRoles,
        ["users"] = users,
    };

    private static JsonObject Map(IReadOnlyDictionary<string, string> pairs)
    {
        var map = new JsonObject();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            map[key] = value;
        }

        return map;
    }
}
