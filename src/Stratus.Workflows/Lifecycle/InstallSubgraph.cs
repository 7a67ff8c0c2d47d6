using Stratus.Core.Model;
using Stratus.Workflows.Graph;
using S = Stratus.Core.Model.NodeInstanceState;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// One instance's install subgraph (<c>install_&lt;id&gt;</c>) in Cloudify's order: validation, precreate, create,
/// preconfigure, configure, postconfigure, start, poststart, monitoring, establish; a step whose operation is a
/// no-op is dropped with its events and a "nothing to do" event takes its place. Steps already done according to
/// the instance's state are skipped, so a resumed or repeated install picks up where the last one stopped.
/// </summary>
internal static class InstallSubgraph
{
    /// <summary>
    /// Builds <c>install_&lt;id&gt;</c> inside <paramref name="parent"/> (top level when null), for the instance in
    /// <paramref name="state"/> (its stored state when null). A failure of it is Cloudify's <c>_SubgraphOnFailure</c>
    /// with a reinstall as the retry.
    /// </summary>
    public static GraphTask Build(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, NodeInstance instance, GraphTask? parent = null, string? state = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(instance);
        var node = model.NodeOf(instance);
        var ops = node.Operations;
        var sg = builder.Subgraph("install_" + instance.Id, parent);
        sg.OnFailure = TaskHandlers.Of(TaskHandlers.SubgraphOnFailure, instance.Id, ("on_retry", "reinstall"));
        var id = instance.Id;
        state ??= instance.State;
        GraphTask? Op(string name) => factory.Create(builder, sg, instance, node, name, ops);
        List<IReadOnlyList<GraphTask>> Event(string message) => [[builder.NodeEvent(sg, id, message)]];

        List<IReadOnlyList<GraphTask>> validation = [], precreate = [], create = [], preconf = [], configure = [];
        List<IReadOnlyList<GraphTask>> postconf = [], start = [], hostPostStart = [], poststart = [], monitoring = [], establish = [];

        if (state is not (S.Started or S.Starting or S.Created or S.Creating or S.Configured or S.Configuring))
        {
            if (Op(LifecycleOperations.ValidationCreate) is { } v)
            {
                validation = [.. Event("Validating node instance before creation"), [v], .. Event("Node instance validated before creation")];
            }

            if (Op(LifecycleOperations.Precreate) is { } p)
            {
                precreate = [.. Event("Precreating node instance"), [p], .. Event("Node instance precreated")];
            }
        }

        if (state is not (S.Started or S.Starting or S.Created or S.Configuring or S.Configured)
            && Op(LifecycleOperations.Create) is { } c)
        {
            create =
            [
                [builder.NodeEvent(sg, id, "Creating node instance"), builder.SetState(sg, id, S.Creating)],
                [c],
                [builder.NodeEvent(sg, id, "Node instance created"), builder.SetState(sg, id, S.Created)],
            ];
        }

        if (state is not (S.Started or S.Starting or S.Configured))
        {
            if (RelationshipSubgraph.Build(builder, factory, model, sg, instance, LifecycleOperations.Preconfigure) is { } pre)
            {
                preconf = [.. Event("Pre-configuring relationships"), [pre], .. Event("Relationships pre-configured")];
            }

            if (Op(LifecycleOperations.Configure) is { } conf)
            {
                configure =
                [
                    [builder.SetState(sg, id, S.Configuring), builder.NodeEvent(sg, id, "Configuring node instance")],
                    [conf],
                    [builder.SetState(sg, id, S.Configured), builder.NodeEvent(sg, id, "Node instance configured")],
                ];
            }
        }

        if (state is not S.Started)
        {
            if (RelationshipSubgraph.Build(builder, factory, model, sg, instance, LifecycleOperations.Postconfigure) is { } post)
            {
                postconf = [.. Event("Post-configuring relationships"), [post], .. Event("Relationships post-configured")];
            }

            if (Op(LifecycleOperations.Start) is { } st)
            {
                start = [[builder.SetState(sg, id, S.Starting), builder.NodeEvent(sg, id, "Starting node instance")], [st]];
            }

            hostPostStart = AgentSteps.PostStart(builder, factory, node, instance, sg);

            if (Op(LifecycleOperations.Poststart) is { } ps)
            {
                poststart = [.. Event("Poststarting node instance"), [ps], .. Event("Node instance poststarted")];
            }

            if (Op(LifecycleOperations.MonitoringStart) is { } ms)
            {
                monitoring = [[ms]];
            }

            if (RelationshipSubgraph.Build(builder, factory, model, sg, instance, LifecycleOperations.Establish) is { } est)
            {
                establish = [.. Event("Establishing relationships"), [est], .. Event("Relationships established")];
            }
        }

        List<IReadOnlyList<GraphTask>> steps;
        if (validation.Count + precreate.Count + create.Count + preconf.Count + configure.Count + postconf.Count
            + start.Count + hostPostStart.Count + poststart.Count + monitoring.Count + establish.Count > 0)
        {
            steps =
            [
                [builder.SetState(sg, id, S.Initializing)],
                .. validation.Count > 0 ? validation : Event("Validating node instance before creation: nothing to do"),
                .. precreate.Count > 0 ? precreate : Event("Precreating node instance: nothing to do"),
                .. create.Count > 0 ? create : Event("Creating node instance: nothing to do"),
                .. preconf,
                .. configure.Count > 0 ? configure : Event("Configuring node instance: nothing to do"),
                .. postconf,
                .. start.Count > 0 ? start : Event("Starting node instance: nothing to do"),
                .. hostPostStart,
                .. poststart.Count > 0 ? poststart : Event("Poststarting node instance: nothing to do"),
                .. monitoring,
                .. establish,
                [builder.SetState(sg, id, S.Started), builder.NodeEvent(sg, id, "Node instance started")],
            ];
        }
        else
        {
            steps = [[builder.SetState(sg, id, S.Started), builder.NodeEvent(sg, id, "Node instance started (nothing to do)")]];
        }

        GraphBuilder.Sequence(steps);
        return sg;
    }
}
