using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging.InProcess;
using Stratus.Storage;
using Stratus.Storage.Sqlite;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Queue;

namespace Stratus.Workflows.Tests.Support;

/// <summary>An engine over the in-memory store and the in-process broker, with fake time and a seeded deployment.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    /// <summary>Hang guard for waits on a condition (never a pace): generous, as a full suite on a loaded machine is slow.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string? _databasePath;

    private EngineHarness(IStratusStore store, string? databasePath = null)
    {
        Store = store;
        _databasePath = databasePath;
    }

    public IStratusStore Store { get; }

    /// <summary>The in-memory store's test hooks (only for harnesses made by <see cref="ThreeTier"/>).</summary>
    public InMemoryStore Memory => (InMemoryStore)Store;

    public InProcessBroker Broker { get; } = new();

    public WatchedTime Time { get; private init; } = new(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));

    public WorkflowOptions Options { get; } = new() { RestHost = ["10.0.0.5"], RestPort = 8080, RestProtocol = "https", ManagerName = "test-manager" };

    public static EngineHarness ThreeTier(Func<Deployment, Deployment>? deployment = null)
    {
        var store = new InMemoryStore();
        var harness = new EngineHarness(store);
        var (nodes, instances) = Topology.ThreeTier();
        store.Seed(deployment is null ? harness.NewDeployment() : deployment(harness.NewDeployment()), nodes, instances);
        return harness;
    }

    /// <summary>An in-memory harness over the given nodes and instances.</summary>
    public static EngineHarness With(InMemoryStore store, IReadOnlyList<Node> nodes, IReadOnlyList<NodeInstance> instances, JsonObject? inputs = null)
    {
        var harness = new EngineHarness(store);
        store.Seed(harness.NewDeployment() with { Inputs = inputs ?? [], RuntimeOnlyEvaluation = inputs is not null }, nodes, instances);
        return harness;
    }

    /// <summary>The same deployment in a fresh, migrated SQLite database.</summary>
    public static Task<EngineHarness> ThreeTierSqliteAsync()
    {
        var (nodes, instances) = Topology.ThreeTier();
        return SqliteAsync(nodes, instances);
    }

    /// <summary>A deployment of the given nodes and instances in a fresh, migrated SQLite database (the embedded default).</summary>
    public static async Task<EngineHarness> SqliteAsync(
        IReadOnlyList<Node> nodes, IReadOnlyList<NodeInstance> instances, Func<Deployment, Deployment>? deployment = null)
    {
        var path = Path.Combine(Path.GetTempPath(), "stratus-wf-" + Guid.NewGuid().ToString("N") + ".db");
        var time = new WatchedTime(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        var store = new SqliteStratusStore(path, time);
        var harness = new EngineHarness(store, path) { Time = time };
        var ct = TestContext.Current.CancellationToken;
        await store.MigrateAsync(ct);
        await store.EnsureTenantAsync(Topology.Tenant, ct);
        await store.InsertBlueprintAsync(
            new Blueprint
            {
                Id = Topology.BlueprintId,
                TenantName = Topology.Tenant,
                CreatedBy = "admin",
                CreatedAt = time.GetUtcNow(),
                UpdatedAt = time.GetUtcNow(),
                MainFileName = "blueprint.yaml",
            },
            ct);
        var row = harness.NewDeployment();
        await store.InsertDeploymentAsync(deployment is null ? row : deployment(row), nodes, instances, ct);
        return harness;
    }

    private Deployment NewDeployment() => new()
    {
        Id = Topology.DeploymentId,
        TenantName = Topology.Tenant,
        CreatedBy = "admin",
        CreatedAt = Time.GetUtcNow(),
        UpdatedAt = Time.GetUtcNow(),
        BlueprintId = Topology.BlueprintId,
        DisplayName = Topology.DeploymentId,
    };

    public ExecutionQueueOptions QueueOptions { get; } = new();

    /// <param name="broker">The harness's broker by default; a <see cref="DurableBroker"/> over it for a RabbitMQ-like one.</param>
    public WorkflowEngine NewEngine(Messaging.IMessageBroker? broker = null) =>
        new(Store, broker ?? Broker, Time, Microsoft.Extensions.Options.Options.Create(Options), NewQueue(), NullLogger<WorkflowEngine>.Instance);

    public ExecutionQueue NewQueue() =>
        new(Store, Broker, Microsoft.Extensions.Options.Options.Create(QueueOptions), NullLogger<ExecutionQueue>.Instance);

    /// <summary>Inserts a pending execution as the REST server would and returns its start message.</summary>
    public async Task<WorkflowStartMessage> CreateExecutionAsync(string workflowId, JsonObject? parameters = null, bool dryRun = false)
    {
        var id = Guid.NewGuid().ToString();
        await Store.InsertExecutionAsync(
            new Execution
            {
                Id = id,
                TenantName = Topology.Tenant,
                CreatedBy = "admin",
                WorkflowId = workflowId,
                DeploymentId = Topology.DeploymentId,
                BlueprintId = Topology.BlueprintId,
                CreatedAt = Time.GetUtcNow(),
                Parameters = parameters ?? [],
                TokenHash = "not-checked-here",
                IsDryRun = dryRun,
            },
            exclusiveOnDeployment: true);
        return new WorkflowStartMessage
        {
            ExecutionId = id,
            WorkflowId = workflowId,
            TaskName = WorkflowStartMessage.BuiltInTaskName(workflowId),
            TenantName = Topology.Tenant,
            DeploymentId = Topology.DeploymentId,
            BlueprintId = Topology.BlueprintId,
            ExecutionToken = "plain-token-" + id,
            ExecutionCreatorUsername = "admin",
            Parameters = parameters ?? [],
            DryRun = dryRun,
        };
    }

    /// <summary>Runs the workflow to its end and returns the stored execution.</summary>
    public async Task<Execution> RunAsync(WorkflowStartMessage start, WorkflowEngine? engine = null)
    {
        var run = (engine ?? NewEngine()).RunAsync(start.ExecutionId, start, null, TestContext.Current.CancellationToken);
        try
        {
            await run.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException ex)
        {
            var now = await Store.GetExecutionAsync(null, start.ExecutionId);
            throw new TimeoutException(
                $"Execution {start.ExecutionId} ({start.WorkflowId}) did not end within {Timeout.TotalSeconds:0}s: status {now?.Status}, "
                + $"{now?.FinishedOperations}/{now?.TotalOperations} operations finished.",
                ex);
        }

        return (await Store.GetExecutionAsync(null, start.ExecutionId))!;
    }

    /// <summary>
    /// Moves the clock by <paramref name="step"/> and again each time the code under test arms a new wait, until
    /// <paramref name="done"/> completes: a poll armed just after an advance is advanced past too, so nothing depends
    /// on how fast the run reaches its wait. <paramref name="step"/> must cover the longest wait the run arms.
    /// </summary>
    public async Task AdvanceEachWaitUntilAsync(Task done, TimeSpan step, string expectation)
    {
        // Hang guard only: a run that keeps arming waits without ever ending must not spin forever.
        using var guard = new CancellationTokenSource(Timeout);
        var advances = 0;
        while (!done.IsCompleted)
        {
            if (guard.IsCancellationRequested)
            {
                throw new TimeoutException($"Advanced the clock {advances} times by {step} over {Timeout.TotalSeconds:0}s (real) for {expectation}; it did not happen.");
            }

            var armed = Time.NextTimerArmed();
            Time.Advance(step);
            advances++;
            await Task.WhenAny(done, armed).Within(expectation);
        }

        await done;
    }

    /// <summary>
    /// Moves the clock by <paramref name="step"/> at a pace of real time until <paramref name="done"/> holds, for hosted
    /// loops (leases, takeover scans) that must each see every step; bounded by <see cref="Timeout"/>.
    /// </summary>
    public async Task AdvanceInStepsUntilAsync(Func<bool> done, TimeSpan step, Func<string> expectation)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (!done())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {Timeout.TotalSeconds:0}s (real) for {expectation()}; it did not happen.");
            }

            Time.Advance(step);
            // The loops run on the thread pool: give them a moment of real time to react to the advanced clock.
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, TestContext.Current.CancellationToken);
        }
    }

    /// <inheritdoc cref="AdvanceInStepsUntilAsync(Func{bool}, TimeSpan, Func{string})"/>
    public async Task AdvanceInStepsUntilAsync(Task done, TimeSpan step, string expectation)
    {
        await AdvanceInStepsUntilAsync(() => done.IsCompleted, step, () => expectation);
        await done;
    }

    public async Task<IReadOnlyDictionary<string, string>> InstanceStatesAsync()
    {
        var page = await Store.ListNodeInstancesAsync(Topology.Tenant, Storage.ListQuery.All);
        return page.Items.ToDictionary(i => i.Id, i => i.State);
    }

    public async Task<NodeInstance> InstanceAsync(string id) =>
        (await Store.GetNodeInstanceAsync(Topology.Tenant, id, TestContext.Current.CancellationToken))!;

    /// <summary>"instance: message" for every node event of the execution, in order.</summary>
    public async Task<IReadOnlyList<string>> NodeEventsOfAsync(string executionId) =>
        [.. (await EventsOfAsync(executionId)).Where(e => e.EventType == "workflow_node_event").Select(e => $"{e.NodeInstanceId}: {e.Message}")];

    public async Task<IReadOnlyList<StoredEvent>> EventsOfAsync(string executionId)
    {
        var page = await Store.ListEventsAsync(
            Topology.Tenant,
            new ListQuery { GetAll = true, Filters = new Dictionary<string, IReadOnlyList<string>> { ["execution_id"] = [executionId] } },
            TestContext.Current.CancellationToken);
        return [.. page.Items.OrderBy(e => e.StorageId)];
    }

    public async Task<IReadOnlyList<OperationRecord>> OperationsOfAsync(string executionId)
    {
        var ct = TestContext.Current.CancellationToken;
        var result = new List<OperationRecord>();
        foreach (var graph in await Store.ListTaskGraphsAsync(executionId, ct))
        {
            result.AddRange(await Store.ListOperationsAsync(graph.Id, ct));
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else if (Store is IDisposable plain)
        {
            plain.Dispose();
        }

        if (_databasePath is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_databasePath)!, Path.GetFileName(_databasePath) + "*"))
            {
                File.Delete(file);
            }
        }
    }
}
