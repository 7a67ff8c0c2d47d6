using System.Reflection;
using Microsoft.AspNetCore.Http;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Server.Auth;

/// <summary>
/// Who is calling and in which tenant, as the authentication middleware established it. Endpoints take the tenant
/// from here only, never from a request body.
/// </summary>
internal sealed record Caller(string Username, string Tenant, string SystemRole, string? TenantRole, string? ExecutionId)
{
    public const string SysAdmin = Auth.Roles.SysAdmin;

    /// <summary>
    /// Every role the caller holds in <see cref="Tenant"/>: its system role, its groups' system roles and its tenant
    /// roles there, direct or by group (Cloudify checks a permission against this union).
    /// </summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The caller's own system role and its groups' system roles (held in every tenant it belongs to).</summary>
    public IReadOnlyList<string> SystemRoles { get; init; } = [];

    /// <summary>For a caller authenticated by an execution's token: that execution's deployment (null for system workflows).</summary>
    public string? ExecutionDeploymentId { get; init; }

    /// <summary>For a caller authenticated by an agent's own token (<see cref="AgentTokens"/>): that agent's name.</summary>
    public string? AgentName { get; init; }

    /// <summary>
    /// This caller reading another tenant's rows listed with <c>_all_tenants</c>: its system roles only there, so
    /// others' private resources stay hidden unless it is a <c>sys_admin</c>.
    /// </summary>
    public Caller ScopedTo(string tenant) =>
        tenant == Tenant ? this : this with { Tenant = tenant, TenantRole = null, Roles = SystemRoles, ExecutionId = null };

    public bool IsSysAdmin => SystemRole == SysAdmin || Roles.Contains(SysAdmin);

    /// <summary>Cloudify's <c>is_user_action_allowed</c> in the request's tenant.</summary>
    public bool Can(string permission) => PermissionMatrix.Default.Allows(permission, Roles.Append(SystemRole));

    /// <summary>The <see cref="Storage.ListQuery.PrivateVisibleTo"/> for this caller: null for a tenant's administrators.</summary>
    public string? PrivateFilter => IsSysAdmin || TenantRole == "manager" ? null : Username;

    /// <summary>Cloudify's permissions filter: a private resource exists only for its creator and the tenant's administrators.</summary>
    public bool CanSee(string visibility, string createdBy) => visibility != Visibility.Private || createdBy == Username || PrivateFilter is null;

    public Blueprint? Visible(Blueprint? resource) => resource is not null && CanSee(resource.Visibility, resource.CreatedBy) ? resource : null;

    public Deployment? Visible(Deployment? resource) => resource is not null && CanSee(resource.Visibility, resource.CreatedBy) ? resource : null;

    public Execution? Visible(Execution? resource) => resource is not null && CanSee(resource.Visibility, resource.CreatedBy) ? resource : null;

    public NodeInstance? Visible(NodeInstance? resource) => resource is not null && CanSee(resource.Visibility, resource.CreatedBy) ? resource : null;

    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<Caller?>(
            context.Features.Get<Caller>() ?? throw StratusException.Unauthorized("User unauthorized: No authentication info provided"));
    }
}
