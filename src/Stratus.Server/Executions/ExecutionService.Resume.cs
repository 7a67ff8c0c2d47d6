using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;

namespace Stratus.Server.Executions;

/// <summary>Resume and force-resume (Cloudify's <c>resume_execution</c>): the engine restores the stored graph and goes on.</summary>
internal sealed partial class ExecutionService
{
    /// <summary>Operation states reset to pending on resume; force-resume also re-sends what was in flight.</summary>
    private static readonly string[] ResumeResetStates = ["failed", "rescheduled"];

    private static readonly string[] ForceResumeResetStates = ["failed", "rescheduled", "started", "sent", "sending"];

    private async Task<Execution> ResumeAsync(Caller caller, Execution execution, bool force, CancellationToken cancellationToken)
    {
        var ended = execution.Status is ExecutionStatus.Cancelled or ExecutionStatus.Failed;
        if (!ended && (force || execution.Status != ExecutionStatus.Started))
        {
            throw StratusException.Conflict(
                $"Cannot {(force ? "force-resume" : "resume")} execution: `{execution.Id}` in state: `{execution.Status}`");
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var reset = ended ? (force ? ForceResumeResetStates : ResumeResetStates) : [];
        if (!await store.TryResumeExecutionAsync(execution.Id, [execution.Status], reset, HashToken(token), cancellationToken))
        {
            var current = await store.GetExecutionAsync(caller.Tenant, execution.Id, cancellationToken);
            throw StratusException.Conflict(
                $"Cannot {(force ? "force-resume" : "resume")} execution: `{execution.Id}` in state: `{current?.Status ?? execution.Status}`");
        }

        var resumed = await store.GetExecutionAsync(caller.Tenant, execution.Id, cancellationToken) ?? execution;
        var deployment = resumed.DeploymentId is { } d ? await store.GetDeploymentAsync(resumed.TenantName, d, cancellationToken) : null;
        // Checkpoint: the execution is pending with its operations reset before the message exists; if the process
        // dies here, resume-on-start runs it.
        await PublishAsync(resumed, token, deployment?.Workflows[resumed.WorkflowId] as JsonObject, CancellationToken.None);
        return resumed;
    }
}
