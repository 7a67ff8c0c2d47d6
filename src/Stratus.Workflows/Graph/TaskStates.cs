namespace Stratus.Workflows.Graph;

/// <summary>Cloudify's task states (<c>cloudify.workflows.tasks</c>).</summary>
internal static class TaskStates
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Started = "started";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Rescheduled = "rescheduled";

    public static bool IsTerminated(string state) => state is Succeeded or Failed or Rescheduled;
}
