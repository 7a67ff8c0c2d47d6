using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Hosting;
using Stratus.Storage;

namespace Stratus.Server.Auth;

/// <summary>
/// Cloudify's user loader: Execution-Token, then Basic auth; then the Tenant header checked against the user's
/// tenant roles. The resulting <see cref="Caller"/> is the only source of the tenant for endpoints.
/// </summary>
internal sealed class AuthenticationMiddleware(RequestDelegate next, IStratusStore store, CredentialCache cache, ManagerReadiness readiness)
{
    public const string DefaultTenant = "default_tenant";
    private const string NoAuthMessage = "User unauthorized: No authentication info provided";

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
        if (caller.TenantRole == "viewer" && !caller.IsSysAdmin && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to perform this action in tenant `{caller.Tenant}`");
        }

        context.Features.Set(caller);
        await next(context);
    }

    private async Task<Caller> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var tenantHeader = request.Headers["Tenant"].ToString();
        var executionToken = request.Headers["Execution-Token"].ToString();
        if (executionToken.Length > 0)
        {
            return await FromExecutionTokenAsync(executionToken, tenantHeader, cancellationToken);
        }

        // Cloudify tries an Authentication-Token as an execution token first (workflows pass it as rest_token);
        // Stratus has no API tokens yet, so that is the only meaning it can have.
        var restToken = request.Headers["Authentication-Token"].ToString();
        if (restToken.Length > 0)
        {
            return await FromExecutionTokenAsync(restToken, tenantHeader, cancellationToken);
        }

        var (username, password) = ReadBasic(request.Headers.Authorization.ToString());
        if (username is null || password is null)
        {
            throw StratusException.Unauthorized(NoAuthMessage);
        }

        var user = await store.GetUserAsync(username, cancellationToken);
        if (user is null || !user.Active || !VerifyPassword(user, password))
        {
            throw StratusException.Unauthorized($"User unauthorized: Authentication failed for user `{username}`. Bad credentials or locked account");
        }

        var tenant = tenantHeader.Length > 0 ? tenantHeader : DefaultTenant;
        return await InTenantAsync(user, tenant, executionId: null, cancellationToken);
    }

    private bool VerifyPassword(User user, string password)
    {
        if (cache.IsKnown(user.Username + "\0" + user.PasswordHash, password))
        {
            return true;
        }

        if (!PasswordHasher.Verify(password, user.PasswordHash))
        {
            return false;
        }

        // Keyed by the stored hash too, so a password change invalidates what was remembered.
        cache.Remember(user.Username + "\0" + user.PasswordHash, password);
        return true;
    }

    private async Task<Caller> FromExecutionTokenAsync(string token, string tenantHeader, CancellationToken cancellationToken)
    {
        var hash = Executions.ExecutionService.HashToken(token);
        var execution = await store.GetExecutionByTokenHashAsync(hash, cancellationToken)
            ?? throw StratusException.Unauthorized("Authentication failed, invalid Execution Token");
        if (tenantHeader.Length > 0 && tenantHeader != execution.TenantName)
        {
            throw StratusException.Forbidden("Tried to authenticate with invalid tenant name: " + tenantHeader);
        }

        var user = await store.GetUserAsync(execution.CreatedBy, cancellationToken);
        if (user is null || !user.Active)
        {
            throw StratusException.Unauthorized("Authentication failed, invalid Execution Token");
        }

        return await InTenantAsync(user, execution.TenantName, execution.Id, cancellationToken);
    }

    private async Task<Caller> InTenantAsync(User user, string tenant, string? executionId, CancellationToken cancellationToken)
    {
        if (await store.GetTenantAsync(tenant, cancellationToken) is null)
        {
            throw StratusException.Forbidden("Tried to authenticate with invalid tenant name: " + tenant);
        }

        var roles = await store.GetUserTenantRolesAsync(user.Username, cancellationToken);
        roles.TryGetValue(tenant, out var tenantRole);
        if (tenantRole is null && user.Role != Caller.SysAdmin)
        {
            throw StratusException.Forbidden($"User `{user.Username}` is not permitted to access tenant `{tenant}`");
        }

        return new Caller(user.Username, tenant, user.Role, tenantRole, executionId);
    }

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
