using Stratus.Core.Errors;

namespace Stratus.Server.Auth;

/// <summary>
/// What a caller authenticated by an execution's token may touch: only its execution's deployment (a system
/// workflow, which has none, is not limited). Agents act with that token, so an agent cannot write another
/// deployment's state even within its tenant.
/// </summary>
internal static class ExecutionScope
{
    public static void RequireDeployment(Caller caller, string deploymentId, string what)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.ExecutionId is { } executionId && caller.ExecutionDeploymentId is { } own && own != deploymentId)
        {
            throw StratusException.Forbidden(
                $"Execution `{executionId}` of deployment `{own}` is not permitted to change {what}, which belongs to deployment `{deploymentId}`");
        }
    }
}
