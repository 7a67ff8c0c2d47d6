using Stratus.Workflows.Graph;
using S = Stratus.Core.Model.NodeInstanceState;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// The stop phase uninstall and rollback share (Cloudify's stop path): state <c>stopping</c> with its event, then
/// monitoring stop, delete validation, prestop and stop, each present only when the node defines the operation.
/// </summary>
internal sealed record StopSteps(
    List<IReadOnlyList<GraphTask>> StopMessage,
    List<IReadOnlyList<GraphTask>> MonitoringStop,
    List<IReadOnlyList<GraphTask>> Validation,
    List<IReadOnlyList<GraphTask>> Prestop,
    List<IReadOnlyList<GraphTask>> Stop)
{
    public static StopSteps Build(
        GraphBuilder builder, GraphTask subgraph, string instanceId, Func<string, GraphTask?> op, Func<string, List<IReadOnlyList<GraphTask>>> nodeEvent)
    {
        // Created first, as before the op tasks, so the graph's task order is unchanged.
        List<IReadOnlyList<GraphTask>> stopMessage =
            [[builder.SetState(subgraph, instanceId, S.Stopping), builder.NodeEvent(subgraph, instanceId, "Stopping node instance")]];
        List<IReadOnlyList<GraphTask>> monitoringStop = [], validation = [], prestop = [];
        if (op(LifecycleOperations.MonitoringStop) is { } ms)
        {
            monitoringStop = [[ms]];
        }

        if (op(LifecycleOperations.ValidationDelete) is { } v)
        {
            validation = [.. nodeEvent("Validating node instance before deletion"), [v], .. nodeEvent("Node instance validated before deletion")];
        }

        if (op(LifecycleOperations.Prestop) is { } ps)
        {
            prestop = [.. nodeEvent("Prestopping node instance"), [ps], .. nodeEvent("Node instance prestopped")];
        }

        List<IReadOnlyList<GraphTask>> stop = op(LifecycleOperations.Stop) is { } st ? [[st], .. nodeEvent("Stopped node instance")] : [];
        return new StopSteps(stopMessage, monitoringStop, validation, prestop, stop);
    }
}
