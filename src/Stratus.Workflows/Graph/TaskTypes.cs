namespace Stratus.Workflows.Graph;

/// <summary>Cloudify's task class names, stored as the operation row's <c>type</c>.</summary>
internal static class TaskTypes
{
    public const string Remote = "RemoteWorkflowTask";
    public const string SetNodeInstanceState = "SetNodeInstanceStateTask";
    public const string SendNodeEvent = "SendNodeEventTask";
    public const string Subgraph = "SubgraphTask";
}
