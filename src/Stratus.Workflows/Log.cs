using Microsoft.Extensions.Logging;

namespace Stratus.Workflows;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Workflow {WorkflowId} of execution {ExecutionId} starting (resume: {Resume})")]
    public static partial void WorkflowStarting(ILogger logger, string workflowId, string executionId, bool resume);

    [LoggerMessage(2, LogLevel.Information, "Execution {ExecutionId} ended {Status}")]
    public static partial void WorkflowEnded(ILogger logger, string executionId, string status);

    [LoggerMessage(3, LogLevel.Debug, "Sent operation {OperationId} {OperationName} on {NodeInstanceId} to {Queue}")]
    public static partial void OperationSent(ILogger logger, string operationId, string? operationName, string? nodeInstanceId, string queue);

    [LoggerMessage(4, LogLevel.Debug, "Operation {OperationId} ended {State}")]
    public static partial void OperationEnded(ILogger logger, string operationId, string state);

    [LoggerMessage(5, LogLevel.Debug, "Ignored a reply for operation {OperationId} that is not in flight")]
    public static partial void ReplyIgnored(ILogger logger, string? operationId);

    [LoggerMessage(6, LogLevel.Warning, "Dropped an unreadable message from {Queue}")]
    public static partial void UnreadableMessage(ILogger logger, string queue, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Execution {ExecutionId} skipped: status is {Status}")]
    public static partial void ExecutionSkipped(ILogger logger, string executionId, string status);

    [LoggerMessage(8, LogLevel.Error, "Execution {ExecutionId} crashed")]
    public static partial void WorkflowCrashed(ILogger logger, string executionId, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Execution {ExecutionId} not found; its start message is dropped")]
    public static partial void ExecutionMissing(ILogger logger, string executionId);

    [LoggerMessage(11, LogLevel.Information, "Resuming {Count} execution(s) left started")]
    public static partial void ResumingExecutions(ILogger logger, int count);

    [LoggerMessage(12, LogLevel.Warning, "Starting queued executions failed; the next ended execution or scheduler tick retries")]
    public static partial void DequeueFailed(ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "Agent {AgentName} stopped heartbeating while holding operation {OperationId}; failing it as recoverable")]
    public static partial void AgentSilent(ILogger logger, string agentName, string operationId);

    [LoggerMessage(14, LogLevel.Warning, "Agent {AgentName} did not answer a ping within {TimeoutSeconds} s ({Reason}); its operations fail as recoverable")]
    public static partial void AgentPingFailed(ILogger logger, string agentName, double timeoutSeconds, string reason);

    [LoggerMessage(15, LogLevel.Warning, "Operation {OperationId} attempt {Attempt} was claimed by the agent of a manager that is gone; sending it again")]
    public static partial void ClaimOrphaned(ILogger logger, string operationId, int attempt);

    [LoggerMessage(16, LogLevel.Warning, "Operation {OperationId} attempt {Attempt}: an agent could not claim it, but agent {AgentName} holds it; waiting for that agent's reply")]
    public static partial void NotClaimedIgnored(ILogger logger, string operationId, int attempt, string? agentName);
}
