using Stratus.Core.Model;
using Stratus.Workflows.Graph;
using S = Stratus.Core.Model.NodeInstanceState;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's <c>rollback_node_instance_subgraph</c> (named after the instance): an instance left <c>starting</c> is
/// stopped back to <c>configured</c>; one left <c>creating</c> or <c>configuring</c> is unlinked, deleted and
/// postdeleted back to <c>uninitialized</c>; every failure is logged and ignored.
/// </summary>
internal static class RollbackSubgraph
{
    public static GraphTask Build(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, NodeInstance instance, bool ignoreFailure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(instance);
        var node = model.NodeOf(instance);
        var ops = node.Operations;
        var firstTask = builder.Tasks.Count;
        var sg = builder.Subgraph(instance.Id, null);
        var id = instance.Id;
        var state = instance.State;
        GraphTask? Op(string name) => factory.Create(builder, sg, instance, node, name, ops);
        List<IReadOnlyList<GraphTask>> Event(string message) => [[builder.NodeEvent(sg, id, message)]];

        List<IReadOnlyList<GraphTask>> stopMessage = [], monitoringStop = [], prestop = [], hostPreStop = [], validation = [], configured = [], stop;
        if (state is not S.Starting)
        {
            stop = Event("Rollback Stop: nothing to do, instance state is " + state);
        }
        else
        {
            (stopMessage, monitoringStop, validation, prestop, stop) = StopSteps.Build(builder, sg, id, Op, Event);
            hostPreStop = AgentSteps.PreStop(builder, factory, node, instance, sg);
            configured = [[builder.SetState(sg, id, S.Configured)]];
        }

        List<IReadOnlyList<GraphTask>> unlink = [], postdelete = [], uninitialized = [], delete;
        if (state is not (S.Creating or S.Configuring))
        {
            delete = Event("Rollback Delete: nothing to do, instance state is " + state);
        }
        else
        {
            (unlink, delete, postdelete) = DeleteSteps.Build(builder, factory, model, sg, instance, Op, Event);
            uninitialized = [[builder.SetState(sg, id, S.Uninitialized)]];
        }

        List<IReadOnlyList<GraphTask>> finish = state is S.Creating or S.Configuring or S.Starting
            ? Event("Rollbacked node instance")
            : [];

        GraphBuilder.Sequence(
        [
            .. stopMessage,
            .. validation.Count > 0 ? validation : Event("Validating node instance after deletion: nothing to do"),
            .. monitoringStop,
            .. prestop,
            .. hostPreStop,
            .. stop.Count > 0 ? stop : Event("Stopped node instance: nothing to do"),
            .. configured,
            .. unlink,
            .. delete.Count > 0 ? delete : Event("Deleting node instance: nothing to do"),
            .. postdelete,
            .. uninitialized,
            .. finish,
        ]);
        if (ignoreFailure)
        {
            foreach (var task in builder.Tasks.Skip(firstTask).Where(t => t.Type == TaskTypes.Remote))
            {
                task.IgnoreFailure = true;
            }
        }

        return sg;
    }
}
