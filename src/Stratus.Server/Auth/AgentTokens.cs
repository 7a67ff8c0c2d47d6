using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;

namespace Stratus.Server.Auth;

/// <summary>
/// An agent's own REST credential (Stratus's; Cloudify gives agents a broker user and the execution's token instead):
/// <c>agt-</c> and 48 random characters (~285 bits), issued by <c>PUT /agents/{name}</c> with <c>create_rest_token</c>
/// and stored as a SHA-256 only. It reaches nothing but the agent's own registration and heartbeat routes, in the
/// agent's tenant, and the list of managers (which event bodies they read: Standalone/EventWireWatch); everything else
/// is refused with 403.
/// </summary>
internal static class AgentTokens
{
    public const string Prefix = "agt-";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>What <c>stratus agent start</c> calls with its own credential (Standalone/AgentRegistration).</summary>
    private static readonly HashSet<string> OwnRoutes = new(StringComparer.Ordinal)
    {
        "PUT /agents/{name}",
        "PATCH /agents/{name}",
        "POST /agents/{name}/heartbeat",
    };

    /// <summary>Reads that name no agent and hold nothing of a tenant's.</summary>
    private static readonly HashSet<string> SharedReads = new(StringComparer.Ordinal) { "GET /managers" };

    public static string Generate() => Prefix + RandomNumberGenerator.GetString(Alphabet, 48);

    public static bool IsAgentToken(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    public static string Hash(string value) => ApiTokens.Hash(value);

    /// <summary>Only the execution token of the deployment the agent's host belongs to, or an admin, may issue an agent's token.</summary>
    public static void RequireIssuer(Caller caller, string agentName, string deploymentId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var ownExecution = caller.ExecutionId is not null && caller.ExecutionDeploymentId == deploymentId;
        if (caller.AgentName is not null || !(ownExecution || caller.IsSysAdmin))
        {
            throw StratusException.Forbidden(
                $"Only an execution of deployment `{deploymentId}` or an admin may create a REST token for agent `{agentName}`");
        }
    }

    /// <summary>Lets an agent's token through to its own agent's routes and <see cref="SharedReads"/> only.</summary>
    public static void Authorize(Caller caller, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(context);
        var agent = caller.AgentName ?? throw new InvalidOperationException("not an agent's caller");
        var route = context.GetEndpoint() is RouteEndpoint endpoint ? EndpointPermissions.Key(context.Request.Method, endpoint.RoutePattern.RawText ?? "") : "";
        if (SharedReads.Contains(route))
        {
            return;
        }

        var name = context.GetRouteValue("name") as string;
        if (!OwnRoutes.Contains(route) || name != agent)
        {
            throw StratusException.Forbidden(
                $"The REST token of agent `{agent}` may only register and heartbeat that agent and list the managers; {context.Request.Method} {context.Request.Path} is not permitted");
        }
    }
}
