using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Storage;

namespace Stratus.Server.Files;

/// <summary>
/// Cloudify's <c>file_server_auth</c> rules for a path under <c>/resources</c>. In a tenant folder
/// (<c>blueprints/</c>, <c>uploaded-blueprints/</c>, <c>deployments/</c>, <c>tenant-resources/</c>) the second segment
/// names the tenant and the caller needs <c>file_server_auth</c> there (its own roles in that tenant, not the Tenant
/// header's), except for a <c>global</c> blueprint's files, which every authenticated caller may read. An execution's
/// token reaches only its own tenant, and a private blueprint or deployment only its creator and the tenant's
/// administrators. Other paths (plugins) need authentication only.
/// </summary>
internal static class FileServerAccess
{
    public const string Permission = "file_server_auth";

    private static readonly string[] TenantFolders = ["blueprints", "uploaded-blueprints", "deployments", "tenant-resources"];

    public static bool IsTenantFolder(string folder) => TenantFolders.Contains(folder, StringComparer.Ordinal);

    public static async Task CheckAsync(IReadOnlyList<string> segments, Caller caller, IStratusStore store, CancellationToken cancellationToken)
    {
        if (!IsTenantFolder(segments[0]))
        {
            return;
        }

        var tenant = segments[1];
        var resourceId = segments.Count > 2 ? segments[2] : null;
        if (segments[0] is "blueprints" or "uploaded-blueprints" && resourceId is not null
            && await store.GetBlueprintAsync(tenant, resourceId, cancellationToken) is { Visibility: Visibility.Global } global && global.TenantName == tenant)
        {
            return;
        }

        var inTenant = await InTenantAsync(caller, tenant, store, cancellationToken);
        if (inTenant is null || !inTenant.Can(Permission))
        {
            throw AuthenticationMiddleware.NotPermitted(caller.Username, Permission, tenant);
        }

        if (resourceId is null)
        {
            return;
        }

        var (visibility, createdBy) = segments[0] switch
        {
            "deployments" => await store.GetDeploymentAsync(tenant, resourceId, cancellationToken) is { } d && d.TenantName == tenant ? (d.Visibility, d.CreatedBy) : (null, null),
            "tenant-resources" => (null, null),
            _ => await store.GetBlueprintAsync(tenant, resourceId, cancellationToken) is { } b && b.TenantName == tenant ? (b.Visibility, b.CreatedBy) : (null, null),
        };
        if (visibility is not null && createdBy is not null && !inTenant.CanSee(visibility, createdBy))
        {
            throw AuthenticationMiddleware.NotPermitted(caller.Username, Permission, tenant);
        }
    }

    /// <summary>The caller as it stands in <paramref name="tenant"/>; null when it holds no role there or it is another tenant of an execution.</summary>
    private static async Task<Caller?> InTenantAsync(Caller caller, string tenant, IStratusStore store, CancellationToken cancellationToken)
    {
        if (tenant == caller.Tenant)
        {
            return caller;
        }

        if (caller.ExecutionId is not null || await store.GetTenantAsync(tenant, cancellationToken) is null)
        {
            return null;
        }

        var access = await store.GetUserAccessAsync(caller.Username, tenant, cancellationToken);
        if (access is null)
        {
            return null;
        }

        var tenantRole = Roles.TenantRolesByStrength.FirstOrDefault(access.TenantRoles.Contains);
        return caller with
        {
            Tenant = tenant,
            TenantRole = tenantRole,
            Roles = [.. access.GroupSystemRoles.Concat(access.TenantRoles).Prepend(access.User.Role).Distinct(StringComparer.Ordinal)],
        };
    }
}
