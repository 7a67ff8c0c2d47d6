namespace Stratus.Client.Models;

/// <summary>Cloudify's execution status strings (CC <c>models_states.ExecutionState</c>).</summary>
public static class ExecutionStates
{
    public const string Terminated = "terminated";

    public const string Failed = "failed";

    public const string Cancelled = "cancelled";

    public static bool IsEnded(string? status) =>
        status is Terminated or Failed or Cancelled;
}
