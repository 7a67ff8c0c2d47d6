namespace Stratus.Core.Model;

/// <summary>Cloudify's ExecutionState strings and the groups its code tests against.</summary>
public static class ExecutionStatus
{
    public const string Terminated = "terminated";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Pending = "pending";
    public const string Started = "started";
    public const string Cancelling = "cancelling";
    public const string ForceCancelling = "force_cancelling";
    public const string KillCancelling = "kill_cancelling";
    public const string Queued = "queued";
    public const string Scheduled = "scheduled";

    public static readonly IReadOnlyList<string> All =
        [Terminated, Failed, Cancelled, Pending, Started, Cancelling, ForceCancelling, KillCancelling, Queued, Scheduled];

    public static readonly IReadOnlyList<string> EndStates = [Terminated, Failed, Cancelled];

    public static readonly IReadOnlyList<string> WaitingStates = [Scheduled, Queued];

    public static readonly IReadOnlyList<string> ActiveStates = [Pending, Started, Cancelling, ForceCancelling, KillCancelling];

    public static bool IsEnd(string status) => EndStates.Contains(status);

    public static bool IsActive(string status) => ActiveStates.Contains(status);
}
