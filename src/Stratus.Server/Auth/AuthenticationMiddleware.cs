using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Hosting;
using Stratus.Storage;

namespace Stratus.Server.Auth;

/// <summary>
/// Cloudify's user loader and <c>authorize</c> decorator in one step: Execution-Token, then Basic auth, then an
/// Authentication-Token (an execution's token or an API token <c>ctok-…</c>); the tenant from the execution or the
/// Tenant header; the caller's roles there; the endpoint's permission checked against them. The resulting
/// <see cref="Caller"/> is the only source of the tenant for endpoints.
/// </summary>
internal sealed class AuthenticationMiddleware(
    RequestDelegate next,
    IStratusStore store,
    CredentialCache cache,
    AccountLock accountLock,
    ManagerReadiness readiness,
    TimeProvider timeProvider)
{
    public const string DefaultTenant = "default_tenant";
    private const string NoAuthMessage = "User unauthorized: No authentication info provided";
    private const string InvalidExecutionToken = "User unauthorized: Authentication failed, invalid Execution Token";

    /// <summary>A token's <c>last_used</c> is written at most this often, so token traffic does not turn every read into a write.</summary>
    private static readonly TimeSpan TokenTouchInterval = TimeSpan.FromMinutes(1);

    private static readonly Lazy<string> UnknownUserHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString("N")));

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<AnonymousEndpointAttribute>() is not null)
        {
            await next(context);
            return;
        }

        if (!readiness.IsReady)
        {
            throw new StratusException("manager_starting_error", StatusCodes.Status503ServiceUnavailable, "The manager is starting; try again shortly");
        }

        var cancellationToken = context.RequestAborted;
        var caller = await AuthenticateAsync(context.Request, cancellationToken);
        if (caller.AgentName is not null)
        {
            AgentTokens.Authorize(caller, context);
        }
        else
        {
            Authorize(caller, endpoint is RouteEndpoint route ? EndpointPermissions.For(context.Request.Method, route) : null);
        }

        context.Features.Set(caller);
        await next(context);
    }

    /// <summary>Refuses a caller whose roles in its tenant do not hold the endpoint's permission (403 <c>forbidden_error</c>).</summary>
    internal static void Authorize(Caller caller, EndpointPermission? permission)
    {
        if (permission is null)
        {
            if (!caller.IsSysAdmin)
            {
                throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to perform this action");
            }

            return;
        }

        if (permission.Deferred || (permission.AllowIfExecution && caller.ExecutionId is not null) || caller.Can(permission.Name))
        {
            return;
        }

        throw NotPermitted(caller.Username, permission.Name, permission.SystemWide ? null : caller.Tenant);
    }

    public static StratusException NotPermitted(string username, string permission, string? tenant) =>
        StratusException.Forbidden(
            $"User `{username}` is not permitted to perform the action {permission}" + (tenant is null ? "" : $" in the tenant `{tenant}`"));

    private async Task<Caller> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var tenantHeader = request.Headers["Tenant"].ToString();
        var executionToken = request.Headers["Execution-Token"].ToString();
        if (executionToken.Length > 0)
        {
            return await FromExecutionAsync(executionToken, tenantHeader, explicitToken: true, cancellationToken)
                ?? throw StratusException.Unauthorized(InvalidExecutionToken);
        }

        var (username, password) = ReadBasic(request.Headers.Authorization.ToString());
        if (username is not null && password is not null)
        {
            return await FromPasswordAsync(username, password, TenantOf(tenantHeader), cancellationToken);
        }

        // Cloudify tries an Authentication-Token as an execution's token first (workflows pass it as rest_token).
        var restToken = request.Headers["Authentication-Token"].ToString();
        if (restToken.Length > 0 && AgentTokens.IsAgentToken(restToken))
        {
            return await FromAgentTokenAsync(restToken, tenantHeader, cancellationToken);
        }

        if (restToken.Length > 0)
        {
            return await FromExecutionAsync(restToken, tenantHeader, explicitToken: false, cancellationToken)
                ?? await FromApiTokenAsync(restToken, TenantOf(tenantHeader), cancellationToken);
        }

        throw StratusException.Unauthorized(NoAuthMessage);
    }

    private static string TenantOf(string tenantHeader) => tenantHeader.Length > 0 ? tenantHeader : DefaultTenant;

    private async Task<Caller> FromPasswordAsync(string username, string password, string tenant, CancellationToken cancellationToken)
    {
        var access = await store.GetUserAccessAsync(username, tenant, cancellationToken);
        var user = access?.User;
        if (user is null)
        {
            // The same key derivation as for a real user, so the answer's timing does not tell which usernames exist.
            _ = PasswordHasher.Verify(password, UnknownUserHash.Value);
            throw Failed(username);
        }

        if (accountLock.IsLocked(user))
        {
            // A locked account is refused before its password is checked, so guessing cannot go on behind the lock.
            throw Failed(username);
        }

        var cacheKey = user.Username + "\0" + user.PasswordHash;
        if (cache.IsKnown(cacheKey, password))
        {
            if (user.FailedLoginsCounter > 0)
            {
                await store.RecordLoginAsync(user.Username, succeeded: true, timeProvider.GetUtcNow(), cancellationToken);
            }
        }
        else if (PasswordHasher.Verify(password, user.PasswordHash))
        {
            // Keyed by the stored hash too, so a password change invalidates what was remembered.
            cache.Remember(cacheKey, password);
            await store.RecordLoginAsync(user.Username, succeeded: true, timeProvider.GetUtcNow(), cancellationToken);
        }
        else
        {
            // checkpoint: the failure is counted before answering; a crash here only loses one count.
            await store.RecordLoginAsync(user.Username, succeeded: false, timeProvider.GetUtcNow(), cancellationToken);
            throw Failed(username);
        }

        return await InTenantAsync(access!, tenant, executionId: null, cancellationToken);
    }

    private async Task<Caller?> FromExecutionAsync(string token, string tenantHeader, bool explicitToken, CancellationToken cancellationToken)
    {
        var hash = Executions.ExecutionService.HashToken(token);
        var execution = await store.GetExecutionByTokenHashAsync(hash, cancellationToken);
        if (execution is null)
        {
            return null;
        }

        if (tenantHeader.Length > 0 && tenantHeader != execution.TenantName)
        {
            throw InvalidTenant(tenantHeader);
        }

        var access = await store.GetUserAccessAsync(execution.CreatedBy, execution.TenantName, cancellationToken);
        if (access is null || !access.User.Active || accountLock.IsLocked(access.User))
        {
            throw explicitToken ? StratusException.Unauthorized(InvalidExecutionToken) : Failed(execution.CreatedBy);
        }

        return await InTenantAsync(access, execution.TenantName, execution.Id, cancellationToken) with { ExecutionDeploymentId = execution.DeploymentId };
    }

    private async Task<Caller> FromApiTokenAsync(string value, string tenant, CancellationToken cancellationToken)
    {
        var parts = ApiTokens.Parse(value) ?? throw StratusException.Unauthorized("User unauthorized: Invalid token structure");
        var token = await store.GetTokenAsync(parts.Id, cancellationToken);
        if (token is null || !ApiTokens.Verify(parts.Secret, token.SecretHash))
        {
            throw StratusException.Unauthorized("User unauthorized: Unauthorized");
        }

        var now = timeProvider.GetUtcNow();
        if (token.ExpirationDate is { } expires && expires <= now)
        {
            throw StratusException.Unauthorized("User unauthorized: Token is expired");
        }

        var access = await store.GetUserAccessAsync(token.Username, tenant, cancellationToken);
        if (access is null || accountLock.IsLocked(access.User))
        {
            throw Failed(token.Username);
        }

        if (token.LastUsed is not { } used || now - used >= TokenTouchInterval)
        {
            await store.TouchTokenAsync(token.Id, now, cancellationToken);
        }

        return await InTenantAsync(access, tenant, executionId: null, cancellationToken);
    }

    /// <summary>
    /// An agent's own token: the agent's tenant (a different Tenant header is refused), no roles, and the agent's name,
    /// which <see cref="AgentTokens.Authorize"/> checks against the route.
    /// </summary>
    private async Task<Caller> FromAgentTokenAsync(string value, string tenantHeader, CancellationToken cancellationToken)
    {
        var agent = await store.GetAgentByTokenHashAsync(AgentTokens.Hash(value), cancellationToken)
            ?? throw StratusException.Unauthorized("User unauthorized: Authentication failed, invalid agent token");
        if (tenantHeader.Length > 0 && tenantHeader != agent.TenantName)
        {
            throw InvalidTenant(tenantHeader);
        }

        return new Caller(agent.CreatedBy, agent.TenantName, Roles.Default, null, null) { AgentName = agent.Name };
    }

    private async Task<Caller> InTenantAsync(UserAccess access, string tenant, string? executionId, CancellationToken cancellationToken)
    {
        if (!access.User.Active)
        {
            throw Failed(access.User.Username);
        }

        if (await store.GetTenantAsync(tenant, cancellationToken) is null)
        {
            throw InvalidTenant(tenant);
        }

        var tenantRole = Roles.TenantRolesByStrength.FirstOrDefault(access.TenantRoles.Contains);
        return new Caller(access.User.Username, tenant, access.User.Role, tenantRole, executionId)
        {
            Roles = [.. access.GroupSystemRoles.Concat(access.TenantRoles).Prepend(access.User.Role).Distinct(StringComparer.Ordinal)],
            SystemRoles = [.. access.GroupSystemRoles.Prepend(access.User.Role).Distinct(StringComparer.Ordinal)],
        };
    }

    private static StratusException InvalidTenant(string tenant) =>
        StratusException.Forbidden("Authorization failed: Tried to authenticate with invalid tenant name: " + tenant);

    private static StratusException Failed(string username) =>
        StratusException.Unauthorized($"User unauthorized: Authentication failed for <User username=`{username}`>. Wrong credentials or locked account");

    private static (string? Username, string? Password) ReadBasic(string header)
    {
        const string prefix = "Basic ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[prefix.Length..].Trim()));
        }
        catch (FormatException)
        {
            return (null, null);
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(decoded[0]))
        {
            return (null, null);
        }

        return (decoded[..colon], decoded[(colon + 1)..]);
    }
}
