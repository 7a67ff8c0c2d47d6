using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Auth;

/// <summary>
/// Cloudify's tenant filter of a list. Without <c>_all_tenants</c>: the caller's tenant. With it: a
/// <c>sys_admin</c> lists every tenant; anyone else the tenants it belongs to (directly or through a group) where its
/// roles hold the list's permission. The tenants come from the stored memberships of the authenticated caller, never
/// from the request; private resources of others stay hidden except in the tenants the caller administers.
/// </summary>
internal static class ListScope
{
    private const string Administrators = "administrators";

    public static async Task<ListQuery> ForAsync(
        Caller caller, ParsedList list, string permission, IStratusStore store, CancellationToken cancellationToken)
    {
        var query = list.Query with { PrivateVisibleTo = caller.PrivateFilter };

        // An execution's token acts for its own tenant only, as it does for writes.
        if (!list.AllTenants || caller.ExecutionId is not null)
        {
            return query;
        }

        if (caller.IsSysAdmin)
        {
            return query with { Tenants = [.. (await store.ListTenantsAsync(cancellationToken)).Select(t => t.Name)] };
        }

        var rolesByTenant = await store.GetUserRolesByTenantAsync(caller.Username, cancellationToken);
        var matrix = PermissionMatrix.Default;
        return query with
        {
            Tenants = [.. rolesByTenant.Where(t => matrix.Allows(permission, t.Value.Concat(caller.SystemRoles))).Select(t => t.Key)],
            PrivateVisibleIn = [.. rolesByTenant.Where(t => matrix.Allows(Administrators, t.Value.Concat(caller.SystemRoles))).Select(t => t.Key)],
        };
    }
}
