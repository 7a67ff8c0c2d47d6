using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Storage;
using Stratus.Workflows.Graph;
using Stratus.Workflows.Lifecycle;

namespace Stratus.Workflows.Engine;

/// <summary>
/// One execution's run of a built-in workflow, which may run several named graphs one after the other (Cloudify's
/// <c>make_or_get_graph</c>: reinstall runs <c>reinstall-uninstall</c> then <c>reinstall-install</c>). Each graph is
/// built from the instances as they are when it starts, stored before it runs, and on a resumed run restored by name
/// instead of rebuilt; a graph that already ended terminated is not run again.
/// </summary>
internal sealed class WorkflowRun(
    IStratusStore store,
    IMessageBroker broker,
    TimeProvider timeProvider,
    WorkflowOptions options,
    ILogger logger,
    WorkflowIdentity identity,
    string? token,
    JsonObject parameters,
    EventBuffer events,
    EventFactory eventFactory,
    IReadOnlyList<TaskGraph> storedGraphs,
    TaskCompletionSource? started)
{
    public IStratusStore Store => store;

    public IMessageBroker Broker => broker;

    public TimeProvider Time => timeProvider;

    public WorkflowOptions Options => options;

    public ILogger Logger => logger;

    public WorkflowIdentity Identity => identity;

    public string? Token => token;

    /// <summary>
    /// The parameters as stored: what graphs are built from (and stored with), so a <c>get_secret</c> in them reaches
    /// an operation's inputs as written and is read when the operation is sent.
    /// </summary>
    public JsonObject Parameters => parameters;

    /// <summary>The parameters with <c>get_secret</c> evaluated, for the operations' context only (never stored).</summary>
    public JsonObject? ResolvedParameters { get; init; }

    public JsonObject ContextParameters => ResolvedParameters ?? parameters;

    public EventBuffer Events => events;

    public EventFactory EventFactory => eventFactory;

    /// <summary>Pings host agents before operations go to them (shared by the manager's runs); null: no ping.</summary>
    public AgentPinger? Pinger { get; init; }

    /// <summary>Where operation inputs' get_secret is read; null leaves it as written.</summary>
    public StoreSecrets? Secrets { get; init; }

    /// <summary>The deployment's nodes and instances as stored now.</summary>
    public async Task<DeploymentModel> LoadModelAsync(CancellationToken cancellationToken = default)
    {
        var deploymentId = identity.DeploymentId
            ?? throw new InvalidOperationException($"Workflow '{identity.WorkflowId}' needs a deployment.");
        var byDeployment = new ListQuery
        {
            GetAll = true,
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["deployment_id"] = [deploymentId] },
        };
        var nodes = await store.ListNodesAsync(identity.TenantName, byDeployment, cancellationToken);
        var instances = await store.ListNodeInstancesAsync(identity.TenantName, byDeployment, cancellationToken);
        eventFactory.NodeNames = instances.Items.ToDictionary(i => i.Id, i => i.NodeId, StringComparer.Ordinal);
        return new DeploymentModel(nodes.Items, instances.Items);
    }

    /// <summary>Operation tasks with the manager's retry defaults, or <paramref name="taskRetries"/> for ops that declare none.</summary>
    public OperationTaskFactory Factory(int? taskRetries = null) =>
        new(identity, taskRetries ?? options.DefaultTaskRetries, options.RetryInterval.TotalSeconds);

    public GraphBuilder NewBuilder() => new(() => Guid.NewGuid().ToString()) { SubgraphRetries = options.SubgraphRetries };

    /// <summary>Builds (or restores) the graph called <paramref name="name"/>, runs it to its end and returns how it ended.</summary>
    public async Task<GraphOutcome> RunGraphAsync(
        string name,
        Func<GraphBuilder, OperationTaskFactory, DeploymentModel, IReadOnlyList<GraphTask>> build,
        int? taskRetries = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        var factory = Factory(taskRetries);
        var stored = storedGraphs.FirstOrDefault(g => g.Name == name);
        if (stored?.State == ExecutionStatus.Terminated)
        {
            return new GraphOutcome(ExecutionStatus.Terminated);
        }

        string graphId;
        IReadOnlyList<GraphTask> tasks;
        if (stored is not null)
        {
            graphId = stored.Id;
            tasks = [.. (await store.ListOperationsAsync(stored.Id, cancellationToken)).Select(GraphTask.FromRecord)];
            var model = await LoadModelAsync(cancellationToken);
            if (ResumeCleanup.AppliesTo(name))
            {
                tasks = await ResumeCleanup.ApplyAsync(this, graphId, tasks, model, factory, cancellationToken);
            }
        }
        else
        {
            var model = await LoadModelAsync(cancellationToken);
            tasks = build(NewBuilder(), factory, model);
            var now = timeProvider.GetUtcNow();
            var graph = new TaskGraph
            {
                Id = Guid.NewGuid().ToString(),
                ExecutionId = identity.ExecutionId,
                TenantName = identity.TenantName,
                Name = name,
                CreatedAt = now,
            };
            await store.InsertTaskGraphAsync(
                graph, [.. tasks.Select(t => t.ToRecord(graph.Id, identity.TenantName, options.ManagerName, now))], cancellationToken);
            await store.UpdateExecutionProgressAsync(identity.ExecutionId, tasks.Count, 0, cancellationToken);
            graphId = graph.Id;
        }

        // Checkpoint: the execution is started and this graph stored; from here a restart resumes it by name.
        started?.TrySetResult();
        var runner = new GraphRunner(this, graphId, factory, tasks);
        var outcome = await runner.RunAsync(cancellationToken);
        await store.UpdateTaskGraphStateAsync(graphId, outcome.Status, cancellationToken);
        return outcome;
    }
}
