using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Storage;
using Stratus.Workflows.Graph;
using Stratus.Workflows.Lifecycle;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Runs one stored task graph to its end: starts every task whose dependencies are met, sends remote operations to
/// their target's queue, applies replies (retrying failed-recoverable operations), and writes task states, node
/// states, events and progress in batches once per round. One loop owns all graph state; the broker consumer only
/// hands replies over through a channel and acks each after the engine stored its effect.
/// </summary>
internal sealed partial class GraphRunner
{
    private readonly IStratusStore _store;
    private readonly IMessageBroker _broker;
    private readonly TimeProvider _time;
    private readonly WorkflowOptions _options;
    private readonly ILogger _logger;
    private readonly WorkflowIdentity _identity;
    private readonly string? _token;
    private readonly System.Text.Json.Nodes.JsonObject _workflowParameters;
    private readonly EventBuffer _events;
    private readonly EventFactory _eventFactory;
    private readonly WorkflowRun _run;
    private readonly string _graphId;
    private readonly OperationTaskFactory _factory;
    private readonly Dictionary<string, GraphTask> _tasks;
    private readonly Dictionary<string, List<GraphTask>> _children = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly List<GraphTask> _failed = [];
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nodeStates = new(StringComparer.Ordinal);
    private readonly Channel<Reply> _replies = Channel.CreateUnbounded<Reply>();
    private readonly HashSet<string> _declaredTargets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<GraphTask>> _dependents = new(StringComparer.Ordinal);
    private readonly HashSet<GraphTask> _candidates = [];
    private readonly HashSet<GraphTask> _delayed = [];
    private readonly HashSet<string> _subgraphsToCheck = new(StringComparer.Ordinal);
    private DateTimeOffset? _firstFailureAt;
    private int _finished;
    private string? _cancelStatus;
    private int _reportedFinished = -1;

    public GraphRunner(WorkflowRun run, string graphId, OperationTaskFactory factory, IEnumerable<GraphTask> tasks)
    {
        _run = run;
        _store = run.Store;
        _broker = run.Broker;
        _time = run.Time;
        _options = run.Options;
        _logger = run.Logger;
        _identity = run.Identity;
        _token = run.Token;
        _workflowParameters = run.ContextParameters;
        _events = run.Events;
        _eventFactory = run.EventFactory;
        _graphId = graphId;
        _factory = factory;
        _tasks = Restore(tasks);
        foreach (var task in _tasks.Values)
        {
            Attach(task);
            if (task.State == OperationStates.Failed && task.Type == TaskTypes.Remote && !task.IgnoreFailure && !IsAbsorbed(task))
            {
                _failed.Add(task);
                _firstFailureAt ??= run.Time.GetUtcNow();
            }
            else if (task.Type == TaskTypes.Remote && task.State is OperationStates.Sent or OperationStates.Started && run.Broker.KeepsMessagesAcrossRestarts)
            {
                // Resumed on a durable broker (as Cloudify's resume of a sent task): the operation is still on its
                // queue or with an agent, and its reply will reach this run's reply queue; sending it again would run
                // a completed operation twice.
                _inFlight.Add(task.Id);
                _resumedInFlight.Add(task.Id);
            }
            else if (task.Type == TaskTypes.Remote && task.State is OperationStates.Sending or OperationStates.Sent or OperationStates.Started or OperationStates.Rescheduled)
            {
                // Resumed: the operation may be lost with the old process (the in-process broker keeps nothing) or
                // still on a durable queue. It is sent again under the same message id: an agent that already ran it
                // can drop the duplicate, and whichever reply arrives first settles the task; later ones are ignored.
                task.State = OperationStates.Pending;
                _resent.Add(task.Id);
            }

            if (task.State == OperationStates.Pending)
            {
                _candidates.Add(task);
            }
            else if (task.Type == TaskTypes.Subgraph && task.State == OperationStates.Started)
            {
                _subgraphsToCheck.Add(task.Id);
            }
            else if (task.State is OperationStates.Succeeded or OperationStates.Failed)
            {
                _finished++;
            }
        }
    }

    public string ReplyQueue => QueueNames.ExecutionResponses(_identity.ExecutionId);

    public async Task<GraphOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        await _broker.DeclareQueueAsync(ReplyQueue, QueueOptions.Default, cancellationToken);
        var completedNormally = false;
        var consumer = await _broker.ConsumeAsync(ReplyQueue, OnReplyAsync, prefetch: 100, cancellationToken);
        try
        {
            while (true)
            {
                await ReadCancelRequestAsync(cancellationToken);
                await CheckAgentsAsync(cancellationToken);
                await CheckOrphanedClaimsAsync(cancellationToken);
                await AdvanceAsync(cancellationToken);
                await FlushAsync(cancellationToken);
                if (IsFinished())
                {
                    break;
                }

                await WaitAsync(cancellationToken);
            }

            completedNormally = true;
        }
        finally
        {
            _replies.Writer.TryComplete();
            while (_replies.Reader.TryRead(out var left))
            {
                // A normal end no longer waits for these (duplicates, or tasks abandoned by a cancel): ack them.
                // After a crash they go back to the queue for the resumed run.
                if (completedNormally)
                {
                    left.Handled.TrySetResult();
                }
                else
                {
                    left.Handled.TrySetCanceled(CancellationToken.None);
                }
            }

            await consumer.DisposeAsync();
        }

        if (_cancelStatus is not null)
        {
            return new GraphOutcome(ExecutionStatus.Cancelled);
        }

        if (_failed.Count > 0)
        {
            return new GraphOutcome(ExecutionStatus.Failed, ErrorText.WorkflowError(_failed));
        }

        // A graph that ends with tasks that never ran (a dependency that can never be met) must not pass as a success.
        var neverRan = _tasks.Values.Count(t => t.State == OperationStates.Pending);
        return neverRan == 0
            ? new GraphOutcome(ExecutionStatus.Terminated)
            : new GraphOutcome(ExecutionStatus.Failed, $"{neverRan} task(s) of the workflow could never run: their dependencies were not met.");
    }
}
