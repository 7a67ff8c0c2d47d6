using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

/// <summary>The loop's waiting, cancel observation, batched writes and state bookkeeping.</summary>
internal sealed partial class GraphRunner
{
    private async Task ReadCancelRequestAsync(CancellationToken cancellationToken)
    {
        var execution = await _store.GetExecutionAsync(null, _identity.ExecutionId, cancellationToken);
        if (execution?.Status is ExecutionStatus.Cancelling or ExecutionStatus.ForceCancelling or ExecutionStatus.KillCancelling)
        {
            var first = _cancelStatus != ExecutionStatus.KillCancelling && execution.Status == ExecutionStatus.KillCancelling;
            var noticed = _cancelStatus is null;
            _cancelStatus = execution.Status;
            if (first)
            {
                await KillOperationsAsync(cancellationToken);
            }
            else if (noticed)
            {
                await StopScriptsAsync(cancellationToken);
            }
        }
    }

    /// <summary>Kill: every target this run sent operations to is told to stop the execution's processes.</summary>
    private async Task KillOperationsAsync(CancellationToken cancellationToken)
    {
        var body = new KillExecutionMessage { ExecutionId = _identity.ExecutionId }.ToBody();
        foreach (var target in _targets)
        {
            var queue = QueueNames.Service(target);
            await _broker.DeclareQueueAsync(queue, QueueOptions.Default, cancellationToken);
            await _broker.PublishAsync(queue, new OutgoingMessage { Body = body, MessageId = _identity.ExecutionId + ".kill" }, cancellationToken);
        }
    }

    private bool IsFinished()
    {
        if (_cancelStatus is not null)
        {
            // A plain cancel lets in-flight operations report; force/kill cancel stops waiting for them.
            return _cancelStatus != ExecutionStatus.Cancelling || _inFlight.Count == 0;
        }

        if (_inFlight.Count == 0 && _delayed.Count == 0)
        {
            return true;
        }

        // After a failure, in-flight operations get WaitAfterFail to report (Cloudify's wait_after_fail); then the
        // execution fails without them.
        return _firstFailureAt is { } failedAt && _time.GetUtcNow() >= failedAt + _options.WaitAfterFail;
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var delay = _options.CancelPollInterval;
        foreach (var task in _delayed)
        {
            if (task.ExecuteAfter is { } due && due - now < delay)
            {
                delay = due - now;
            }
        }

        if (_agentOf.Count > 0 && _nextAgentCheck - now < delay)
        {
            delay = _nextAgentCheck - now;
        }

        if (_firstFailureAt is { } failedAt && failedAt + _options.WaitAfterFail - now < delay)
        {
            delay = failedAt + _options.WaitAfterFail - now;
        }

        if (delay > TimeSpan.Zero && !_replies.Reader.TryPeek(out _))
        {
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(delay, _time, wake.Token);
            var reply = _replies.Reader.WaitToReadAsync(wake.Token).AsTask();
            await Task.WhenAny(timer, reply);
            await wake.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }

        var handled = new List<Reply>();
        while (_replies.Reader.TryRead(out var reply))
        {
            await HandleReplyAsync(reply, cancellationToken);
            handled.Add(reply);
        }

        if (handled.Count > 0)
        {
            await FlushAsync(cancellationToken);
            // Checkpoint: the replies' effects are stored; acking them now can lose nothing.
            foreach (var reply in handled)
            {
                reply.Handled.TrySetResult();
            }
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_nodeStates.Count > 0)
        {
            await _store.SetNodeInstanceStatesAsync(_identity.TenantName, [.. _nodeStates.Select(s => (s.Key, s.Value))], cancellationToken);
            _nodeStates.Clear();
        }

        // Checkpoint: node states and events are written before the tasks that produced them are marked done, so a
        // crash here re-runs those tasks on resume (a state set twice, an event possibly repeated), never skips them.
        await _events.FlushAsync(cancellationToken);
        if (_dirty.Count > 0)
        {
            // Each write names its attempt and is a compare-and-set: an agent's claim (started) stored meanwhile is never
            // moved back to sent, and an attempt whose end is stored is never reopened by a late write.
            var states = _dirty.Select(id => (id, _tasks[id].State, _tasks[id].CurrentRetries)).ToList();
            await _store.UpdateOperationStatesAsync(states, cancellationToken);
            _dirty.Clear();
        }

        if (_finished != _reportedFinished)
        {
            await _store.UpdateExecutionProgressAsync(_identity.ExecutionId, _tasks.Count, _finished, cancellationToken);
            _reportedFinished = _finished;
        }

        // Checkpoint: the ends these answers report are stored; a script told of an end can rely on it after a restart.
        if (_answers.Count > 0)
        {
            await PublishAnswersAsync(cancellationToken);
        }
    }

    /// <summary>Changes a task's state and queues whatever the change may unblock.</summary>
    private void SetState(GraphTask task, string state)
    {
        var wasFinal = task.State is OperationStates.Succeeded or OperationStates.Failed;
        task.State = state;
        _dirty.Add(task.Id);
        if (!wasFinal && state is OperationStates.Succeeded or OperationStates.Failed)
        {
            _finished++;
        }

        if ((task.IsDone || state == OperationStates.Started) && _dependents.TryGetValue(task.Id, out var dependents))
        {
            _candidates.UnionWith(dependents);
        }

        if (task.IsDone && task.ContainingSubgraph is { } parent)
        {
            _subgraphsToCheck.Add(parent);
        }

        if (task.Type == TaskTypes.Subgraph && state == OperationStates.Started)
        {
            _subgraphsToCheck.Add(task.Id);
        }
    }
}
