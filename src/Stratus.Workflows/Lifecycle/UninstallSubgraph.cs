using Stratus.Core.Model;
using Stratus.Workflows.Graph;
using S = Stratus.Core.Model.NodeInstanceState;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// One instance's uninstall subgraph (named after the instance) in Cloudify's order: stop phase (validation,
/// monitoring stop, prestop, stop), unlink, delete, postdelete; phases the instance's state shows are already done
/// are replaced by "already &lt;state&gt;" events.
/// </summary>
internal static class UninstallSubgraph
{
    /// <summary>
    /// Builds the subgraph inside <paramref name="parent"/> (top level when null). With <paramref name="ignoreFailure"/>
    /// every operation's failure is logged and ignored; otherwise a failure is Cloudify's <c>_SubgraphOnFailure</c>
    /// with an uninstall as the retry.
    /// </summary>
    public static GraphTask Build(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, NodeInstance instance, GraphTask? parent = null, bool ignoreFailure = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(instance);
        var node = model.NodeOf(instance);
        var ops = node.Operations;
        var firstTask = builder.Tasks.Count;
        var sg = builder.Subgraph(instance.Id, parent);
        var id = instance.Id;
        var state = instance.State;
        GraphTask? Op(string name) => factory.Create(builder, sg, instance, node, name, ops);
        List<IReadOnlyList<GraphTask>> Event(string message) => [[builder.NodeEvent(sg, id, message)]];

        List<IReadOnlyList<GraphTask>> stopMessage = [], monitoringStop = [], prestop = [], hostPreStop = [], validation = [], stop;
        if (state is S.Stopped or S.Deleting or S.Deleted or S.Uninitialized or S.Configured)
        {
            stop = Event("Stop: instance already " + state);
        }
        else
        {
            (stopMessage, monitoringStop, validation, prestop, stop) = StopSteps.Build(builder, sg, id, Op, Event);
            hostPreStop = AgentSteps.PreStop(builder, factory, node, instance, sg);
        }

        List<IReadOnlyList<GraphTask>> stoppedState = state is S.Stopped or S.Deleting or S.Deleted
            ? []
            : [[builder.SetState(sg, id, S.Stopped)]];

        List<IReadOnlyList<GraphTask>> unlink = [], postdelete = [], delete;
        if (state is S.Deleted or S.Uninitialized)
        {
            delete = Event("Delete: instance already " + state);
        }
        else
        {
            (unlink, delete, postdelete) = DeleteSteps.Build(builder, factory, model, sg, instance, Op, Event);
        }

        List<IReadOnlyList<GraphTask>> finish = state is S.Deleted
            ? []
            : [[builder.SetState(sg, id, S.Deleted), builder.NodeEvent(sg, id, "Deleted node instance")]];

        GraphBuilder.Sequence(
        [
            .. stopMessage,
            .. validation.Count > 0 ? validation : Event("Validating node instance after deletion: nothing to do"),
            .. monitoringStop,
            .. prestop,
            .. hostPreStop,
            .. stop.Count > 0 ? stop : Event("Stopped node instance: nothing to do"),
            .. stoppedState,
            .. unlink,
            .. delete.Count > 0 ? delete : Event("Deleting node instance: nothing to do"),
            .. postdelete,
            .. finish,
        ]);
        if (ignoreFailure)
        {
            foreach (var task in builder.Tasks.Skip(firstTask).Where(t => t.Type == TaskTypes.Remote))
            {
                task.IgnoreFailure = true;
            }
        }
        else
        {
            sg.OnFailure = TaskHandlers.Of(TaskHandlers.SubgraphOnFailure, instance.Id, ("on_retry", "uninstall"));
        }

        return sg;
    }
}
