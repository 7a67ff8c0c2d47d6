using System.Reflection;
using Microsoft.AspNetCore.Http;
using Stratus.Core.Errors;

namespace Stratus.Server.Auth;

/// <summary>
/// Who is calling and in which tenant, as the authentication middleware established it. Endpoints take the tenant
/// from here only, never from a request body.
/// </summary>
internal sealed record Caller(string Username, string Tenant, string SystemRole, string? TenantRole, string? ExecutionId)
{
    public const string SysAdmin = "sys_admin";

    public bool IsSysAdmin => SystemRole == SysAdmin;

    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<Caller?>(
            context.Features.Get<Caller>() ?? throw StratusException.Unauthorized("User unauthorized: No authentication info provided"));
    }
}
