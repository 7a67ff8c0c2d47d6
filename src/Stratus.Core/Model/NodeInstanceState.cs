namespace Stratus.Core.Model;

/// <summary>Node-instance lifecycle states in Cloudify's order.</summary>
public static class NodeInstanceState
{
    public const string Uninitialized = "uninitialized";
    public const string Initializing = "initializing";
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

    public static readonly IReadOnlyList<string> All =
        [Uninitialized, Initializing, Creating, Created, Configuring, Configured, Starting, Started, Stopping, Stopped, Deleting, Deleted];
}
