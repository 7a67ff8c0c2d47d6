namespace Stratus.Core.Model;

/// <summary>Cloudify's agent states (<c>cloudify.models_states.AgentState</c>).</summary>
public static class AgentState
{
    public const string Creating = "creating";
    public const string Created = "created";
    public const string Configuring = "configuring";
    public const string Configured = "configured";
    public const string Starting = "starting";
    public const string Started = "started";
    public const string Stopping = "stopping";
    public const string Stopped = "stopped";
    public const string Deleting = "deleting";
    public const string Deleted = "deleted";
    public const string Restarting = "restarting";
    public const string Restarted = "restarted";
    public const string Restored = "restored";
    public const string Upgrading = "upgrading";
    public const string Upgraded = "upgraded";
    public const string NonResponsive = "nonresponsive";
    public const string Failed = "failed";

    /// <summary>In Cloudify's order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Creating, Created, Configuring, Configured, Starting, Started, Stopping, Stopped, Deleting, Deleted,
        Restarting, Restarted, Upgrading, Upgraded, Failed, NonResponsive, Restored,
    ];
}
