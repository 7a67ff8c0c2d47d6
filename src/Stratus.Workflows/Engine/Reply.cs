using Stratus.Contracts.Tasks;

namespace Stratus.Workflows.Engine;

/// <summary>
/// An operation reply (or, with <see cref="Request"/>, a workflow script's request) handed from the broker consumer to
/// the engine loop; acked once <see cref="Handled"/> completes.
/// </summary>
internal sealed record Reply(string TaskId, int Attempt, TaskResponse Response)
{
    /// <summary>A workflow script's request instead of a reply; <see cref="ReplyTo"/> and <see cref="RequestId"/> say where the answer goes.</summary>
    public WorkflowRequest? Request { get; init; }

    public string? ReplyTo { get; init; }

    public string? RequestId { get; init; }

    /// <summary>Instead of a reply: the ping of this agent ended (<see cref="PingFailure"/> null when it answered).</summary>
    public string? PingedAgent { get; init; }

    public string? PingFailure { get; init; }

    public TaskCompletionSource Handled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private const string AttemptSeparator = ".retry-";

    /// <summary>The correlation id of an attempt: the task id, suffixed for retries so a stale reply is recognised.</summary>
    public static string CorrelationId(string taskId, int attempt) =>
        attempt == 0 ? taskId : taskId + AttemptSeparator + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static (string TaskId, int Attempt) ParseCorrelationId(string correlationId)
    {
        ArgumentNullException.ThrowIfNull(correlationId);
        var at = correlationId.LastIndexOf(AttemptSeparator, StringComparison.Ordinal);
        return at >= 0
            && int.TryParse(correlationId.AsSpan(at + AttemptSeparator.Length), System.Globalization.CultureInfo.InvariantCulture, out var attempt)
            ? (correlationId[..at], attempt)
            : (correlationId, 0);
    }
}
