using System.Collections.Concurrent;
using System.Reflection;
using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Server.Tests.Events;

/// <summary>
/// An <see cref="IStratusStore"/> that answers only what the broker event path calls (execution lookup, event inserts),
/// with injectable failures; any other call is a test bug and throws.
/// </summary>
public class FakeEventStore : DispatchProxy
{
    public ConcurrentDictionary<string, Execution> Executions { get; } = new(StringComparer.Ordinal);

    /// <summary>Committed rows, keyed as the SQL store keys them (execution, idempotency key) so a repeat is stored once.</summary>
    public ConcurrentDictionary<(string Execution, string Key), StoredEvent> Rows { get; } = new();

    /// <summary>Each insert call's row count, in order (failed calls included).</summary>
    public ConcurrentQueue<int> InsertCalls { get; } = new();

    /// <summary>Decides, per insert, whether it fails (and how); null: it commits.</summary>
    public Func<IReadOnlyList<StoredEvent>, Exception?> FailInsert { get; set; } = _ => null;

    /// <summary>Decides, per execution lookup, whether it fails (and how); null: it answers.</summary>
    public Func<string, Exception?> FailLookup { get; set; } = _ => null;

    /// <summary>While true, every call fails as with an unreachable database.</summary>
    public bool Down { get; set; }

    /// <summary>Called inside each insert before it commits (to check nothing was acked before the commit).</summary>
    public Action? DuringInsert { get; set; }

    public IStratusStore Store => (IStratusStore)(object)this;

    /// <summary>Calls made so far, failed ones included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    private int _calls;

    public static FakeEventStore Create() => (FakeEventStore)(object)DispatchProxy.Create<IStratusStore, FakeEventStore>();

    public Execution AddExecution(string id)
    {
        var execution = new Execution
        {
            Id = id,
            TenantName = "default_tenant",
            CreatedBy = "admin",
            WorkflowId = "install",
            DeploymentId = "dep",
            BlueprintId = "bp",
            Status = ExecutionStatus.Started,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        Executions[id] = execution;
        return execution;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        ArgumentNullException.ThrowIfNull(args);
        Interlocked.Increment(ref _calls);
        var down = Down ? new TimeoutException("The database did not answer (simulated).") : null;
        switch (targetMethod.Name)
        {
            case nameof(IStratusStore.GetExecutionAsync):
                return (down ?? FailLookup((string)args[1]!)) is { } lookupFailure
                    ? Task.FromException<Execution?>(lookupFailure)
                    : Task.FromResult(Executions.GetValueOrDefault((string)args[1]!));
            case nameof(IStratusStore.InsertEventsAsync) when down is not null:
                return Task.FromException(down);
            case nameof(IStratusStore.InsertEventsAsync):
                var rows = (IReadOnlyList<StoredEvent>)args[0]!;
                InsertCalls.Enqueue(rows.Count);
                if (FailInsert(rows) is { } failure)
                {
                    return Task.FromException(failure);
                }

                DuringInsert?.Invoke();
                foreach (var row in rows)
                {
                    Rows.TryAdd((row.ExecutionId, row.IdempotencyKey ?? Guid.NewGuid().ToString()), row);
                }

                return Task.CompletedTask;
            default:
                throw new NotSupportedException($"The broker event path must not call {targetMethod.Name}.");
        }
    }
}
