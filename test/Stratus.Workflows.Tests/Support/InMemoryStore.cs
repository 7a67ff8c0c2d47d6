using System.Collections.Concurrent;
using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Workflows.Tests.Support;

/// <summary>
/// The part of <see cref="IStratusStore"/> the engine uses, in memory, with the same compare-and-set semantics;
/// the rest is not needed by these tests. Also counts writes so tests can see batching.
/// </summary>
internal sealed partial class InMemoryStore : IStratusStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Execution> _executions = [];
    private readonly Dictionary<string, Deployment> _deployments = [];
    private readonly List<Node> _nodes = [];
    private readonly Dictionary<string, NodeInstance> _instances = [];
    private readonly List<TaskGraph> _graphs = [];
    private readonly Dictionary<string, OperationRecord> _operations = [];
    private readonly List<StoredEvent> _events = [];

    private readonly List<(Func<StoredEvent, bool> Predicate, TaskCompletionSource<StoredEvent> Done)> _eventWaiters = [];

    public ConcurrentQueue<string> NodeStateHistory { get; } = new();

    /// <summary>Completes when an event matching <paramref name="predicate"/> is stored (or already was).</summary>
    public Task<StoredEvent> WhenEvent(Func<StoredEvent, bool> predicate)
    {
        lock (_gate)
        {
            var done = new TaskCompletionSource<StoredEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_events.FirstOrDefault(predicate) is { } already)
            {
                done.SetResult(already);
            }
            else
            {
                _eventWaiters.Add((predicate, done));
            }

            return done.Task;
        }
    }

    public int EventInserts { get; private set; }

    public void Seed(Deployment deployment, IEnumerable<Node> nodes, IEnumerable<NodeInstance> instances)
    {
        lock (_gate)
        {
            _deployments[deployment.Id] = deployment;
            _nodes.AddRange(nodes);
            foreach (var i in instances)
            {
                _instances[i.Id] = i;
            }
        }
    }

    public IReadOnlyList<StoredEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<OperationRecord> Operations
    {
        get
        {
            lock (_gate)
            {
                return [.. _operations.Values];
            }
        }
    }

    public Task MigrateAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task InsertExecutionAsync(Execution execution, bool exclusiveOnDeployment, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _executions.Add(execution.Id, execution);
        }

        return Task.CompletedTask;
    }

    public Task<Execution?> GetExecutionAsync(string? tenantName, string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_executions.GetValueOrDefault(id));
        }
    }

    public Task<bool> TryTransitionExecutionAsync(string id, ExecutionTransition transition, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_executions.TryGetValue(id, out var e) || !transition.ExpectedFrom.Contains(e.Status))
            {
                return Task.FromResult(false);
            }

            _executions[id] = e with
            {
                Status = transition.To,
                Error = transition.Error ?? e.Error,
                StartedAt = transition.StartedAt ?? e.StartedAt,
                EndedAt = transition.EndedAt ?? (transition.ClearEndedAt ? null : e.EndedAt),
                Resume = transition.Resume ?? e.Resume,
                TokenHash = transition.TokenHash ?? e.TokenHash,
            };
            return Task.FromResult(true);
        }
    }

    public Task UpdateExecutionProgressAsync(string id, int totalOperations, int finishedOperations, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _executions[id] = _executions[id] with { TotalOperations = totalOperations, FinishedOperations = finishedOperations };
        }

        return Task.CompletedTask;
    }

    public Task<bool> SetExecutionTokenHashAsync(string id, string tokenHash, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_executions.TryGetValue(id, out var e) || !ExecutionStatus.IsActive(e.Status))
            {
                return Task.FromResult(false);
            }

            _executions[id] = e with { TokenHash = tokenHash };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<Execution>> ListExecutionsByStatusAsync(IReadOnlyList<string> statuses, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Execution>>([.. _executions.Values.Where(e => statuses.Contains(e.Status))]);
        }
    }

    public Task<Deployment?> GetDeploymentAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_deployments.GetValueOrDefault(id));
        }
    }

    public Task UpdateDeploymentStatusAsync(
        string tenantName, string id, string? installationStatus, string? deploymentStatus, string? latestExecutionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var d = _deployments[id];
            _deployments[id] = d with
            {
                InstallationStatus = installationStatus ?? d.InstallationStatus,
                DeploymentStatus = deploymentStatus ?? d.DeploymentStatus,
                LatestExecutionId = latestExecutionId ?? d.LatestExecutionId,
            };
        }

        return Task.CompletedTask;
    }

    public Task<Page<Node>> ListNodesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var items = _nodes.Where(n => Matches(query, "deployment_id", n.DeploymentId)).ToList();
            return Task.FromResult(new Page<Node>(items, items.Count, 0, items.Count));
        }
    }

    public Task<NodeInstance?> GetNodeInstanceAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_instances.GetValueOrDefault(id));
        }
    }

    public Task<Page<NodeInstance>> ListNodeInstancesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var items = _instances.Values.Where(i => Matches(query, "deployment_id", i.DeploymentId)).OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(new Page<NodeInstance>(items, items.Count, 0, items.Count));
        }
    }

    public Task SetNodeInstanceStatesAsync(string tenantName, IReadOnlyList<(string Id, string State)> states, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var (id, state) in states)
            {
                _instances[id] = _instances[id] with { State = state, Version = _instances[id].Version + 1 };
                NodeStateHistory.Enqueue($"{id} -> {state}");
            }
        }

        return Task.CompletedTask;
    }

    public Task InsertTaskGraphAsync(TaskGraph graph, IReadOnlyList<OperationRecord> operations, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _graphs.Add(graph);
            foreach (var op in operations)
            {
                _operations.Add(op.Id, op);
            }
        }

        return Task.CompletedTask;
    }

    public Task InsertOperationsAsync(string graphId, IReadOnlyList<OperationRecord> operations, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var op in operations)
            {
                _operations.Add(op.Id, op with { GraphId = graphId });
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TaskGraph>> ListTaskGraphsAsync(string executionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<TaskGraph>>([.. _graphs.Where(g => g.ExecutionId == executionId)]);
        }
    }

    public Task<IReadOnlyList<OperationRecord>> ListOperationsAsync(string graphId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<OperationRecord>>([.. _operations.Values.Where(o => o.GraphId == graphId)]);
        }
    }

    private readonly List<(string Id, TaskCompletionSource Done)> _operationReaders = [];

    /// <summary>Completes once operation <paramref name="id"/> is read (as the engine reads the claim of a not-claimed failure).</summary>
    public Task WhenOperationRead(string id)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _operationReaders.Add((id, done));
        }

        return done.Task;
    }

    public Task<OperationRecord?> GetOperationAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var reader in _operationReaders.Where(r => r.Id == id).ToList())
            {
                reader.Done.TrySetResult();
                _operationReaders.Remove(reader);
            }

            return Task.FromResult(_operations.GetValueOrDefault(id));
        }
    }

    public Task<int> UpdateOperationStatesAsync(IReadOnlyList<(string Id, string State, int Attempt)> states, CancellationToken cancellationToken = default)
    {
        var changed = 0;
        lock (_gate)
        {
            foreach (var (id, state, attempt) in states)
            {
                var op = _operations[id];
                if (OperationStates.MayReplace(op.State, op.Attempt, state, attempt))
                {
                    _operations[id] = op with { State = state, Attempt = attempt };
                    SignalOperationState(id, state);
                    changed++;
                }
            }
        }

        return Task.FromResult(changed);
    }

    public Task UpdateTaskGraphStateAsync(string graphId, string state, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var i = _graphs.FindIndex(g => g.Id == graphId);
            _graphs[i] = _graphs[i] with { State = state };
        }

        return Task.CompletedTask;
    }

    public Task InsertEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            EventInserts++;
            foreach (var e in events)
            {
                if (e.IdempotencyKey is { } key && _events.Any(x => x.ExecutionId == e.ExecutionId && x.IdempotencyKey == key))
                {
                    continue;
                }

                var stored = e with { StorageId = _events.Count + 1 };
                _events.Add(stored);
                foreach (var waiter in _eventWaiters.Where(w => w.Predicate(stored)).ToList())
                {
                    waiter.Done.TrySetResult(stored);
                    _eventWaiters.Remove(waiter);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<Page<StoredEvent>> ListEventsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var items = _events.Where(e => Matches(query, "execution_id", e.ExecutionId)).ToList();
            return Task.FromResult(new Page<StoredEvent>(items, items.Count, 0, items.Count));
        }
    }

    public Task<IReadOnlyList<StoredEvent>> ListEventsAfterAsync(string executionId, long afterStorageId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredEvent>>(
                [.. _events.Where(e => e.ExecutionId == executionId && e.StorageId > afterStorageId).Take(limit)]);
        }
    }

    private static bool Matches(ListQuery query, string field, string value) =>
        !query.Filters.TryGetValue(field, out var allowed) || allowed.Contains(value);

    public Task InsertDeploymentModificationAsync(DeploymentModificationStart start, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DeploymentModification?> GetDeploymentModificationAsync(string tenantName, string id, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<Page<DeploymentModification>> ListDeploymentModificationsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<DeploymentModification> EndDeploymentModificationAsync(DeploymentModificationEnd end, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task InsertBlueprintAsync(Blueprint blueprint, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task InsertBlueprintAsync(Blueprint blueprint, IReadOnlyList<ResourceFileSet> files, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task InsertPluginAsync(Plugin plugin, IReadOnlyList<ResourceFileSet> files, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<StoredResourceFile>> ListResourceFilesAsync(ResourceOwner owner, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<string?> GetResourceGenerationAsync(ResourceOwner owner, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> CopyResourceFileAsync(ResourceOwner owner, string generation, string path, Stream destination, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<bool> ImportResourceFilesAsync(ResourceFileSet files, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ResourceOwner>> ListResourcesWithoutFilesAsync(string kind, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<string> RecordClusterSettingAsync(string name, string value, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<string?> GetClusterSettingAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Blueprint?> GetBlueprintAsync(string tenantName, string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Page<Blueprint>> ListBlueprintsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteBlueprintAsync(string tenantName, string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task InsertSecretAsync(Secret secret, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Secret?> GetSecretAsync(string tenantName, string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Page<Secret>> ListSecretsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> UpdateSecretAsync(Secret expected, Secret updated, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteSecretAsync(string tenantName, string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task InsertPluginAsync(Plugin plugin, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Plugin?> GetPluginAsync(string tenantName, string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Page<Plugin>> ListPluginsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeletePluginAsync(string tenantName, string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> SetPluginVisibilityAsync(string tenantName, string id, string expected, string visibility, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task InsertDeploymentAsync(Deployment deployment, IReadOnlyList<Node> nodes, IReadOnlyList<NodeInstance> nodeInstances, CancellationToken cancellationToken = default)
    {
        Seed(deployment, nodes, nodeInstances);
        return Task.CompletedTask;
    }

    public Task<Page<Deployment>> ListDeploymentsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var items = _deployments.Values.Where(d => d.TenantName == tenantName && Matches(query, "id", d.Id)).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(new Page<Deployment>(items, items.Count, 0, items.Count));
        }
    }

    public Task<Blueprint> ReplaceBlueprintLabelsAsync(string tenantName, string id, IReadOnlyList<ResourceLabel> labels, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<Deployment> ReplaceDeploymentLabelsAsync(string tenantName, string id, IReadOnlyList<ResourceLabel> labels, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<string>> ListChildDeploymentsAsync(string tenantName, string parentId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<Page<string>> ListLabelKeysAsync(string tenantName, LabeledResource resource, ListQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<Page<string>> ListLabelValuesAsync(string tenantName, LabeledResource resource, string key, ListQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<bool> DeleteDeploymentAsync(string tenantName, string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteDeploymentAsync(string tenantName, string id, bool force, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task InsertDeploymentAsync(
        Deployment deployment, IReadOnlyList<Node> nodes, IReadOnlyList<NodeInstance> nodeInstances, IReadOnlyList<InterDeploymentDependency> dependencies, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task InsertDependenciesAsync(string tenantName, IReadOnlyList<InterDeploymentDependency> dependencies, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Page<InterDeploymentDependency>> ListDependenciesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(new Page<InterDeploymentDependency>([], 0, 0, 0));

    public Task<int> DeleteDependenciesAsync(string tenantName, string dependencyCreator, string? sourceDeploymentId, string? targetDeploymentId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<bool> SetDependencyTargetAsync(string tenantName, string id, string? expectedTargetId, string targetDeploymentId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<DeploymentGroup> WriteDeploymentGroupAsync(DeploymentGroupWrite write, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DeploymentGroup?> GetDeploymentGroupAsync(string tenantName, string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Page<DeploymentGroup>> ListDeploymentGroupsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteDeploymentGroupAsync(string tenantName, string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<string>?> DeleteDeploymentGroupAndMembersAsync(string tenantName, string id, bool force, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetGroupIdsOfDeploymentsAsync(
        string tenantName, IReadOnlyCollection<string> deploymentIds, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Execution?> GetExecutionByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Page<Execution>> ListExecutionsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Node?> GetNodeAsync(string tenantName, string deploymentId, string nodeId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_nodes.FirstOrDefault(n => n.DeploymentId == deploymentId && n.Id == nodeId));
        }
    }

    public Task<NodeInstance> UpdateNodeInstanceAsync(string tenantName, string id, NodeInstanceUpdate update, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var i = _instances[id];
            if (expectedVersion is { } expected && i.Version > expected)
            {
                throw Stratus.Core.Errors.StratusException.Conflict($"Node instance update conflict [current version={i.Version}, update version={expected}]");
            }

            i = i with
            {
                State = update.State ?? i.State,
                RuntimeProperties = update.RuntimeProperties ?? i.RuntimeProperties,
                SystemProperties = update.SystemProperties ?? i.SystemProperties,
                Version = i.Version + 1,
            };
            _instances[id] = i;
            return Task.FromResult(i);
        }
    }

    public Task<Tenant> EnsureTenantAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Tenant?> GetTenantAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CreateUserAsync(User user, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<User?> GetUserAsync(string username, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task SetUserTenantRoleAsync(string username, string tenantName, string role, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyDictionary<string, string>> GetUserTenantRolesAsync(string username, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetUserRolesByTenantAsync(string username, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    /// <summary>Cloudify's per-deployment rule only (no system workflows here): the oldest queued execution of each idle deployment.</summary>
    public Task<IReadOnlyList<Execution>> DequeueExecutionsAsync(int maxActive, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var active = _executions.Values.Count(e => ExecutionStatus.IsActive(e.Status));
            var started = new List<Execution>();
            var busy = _executions.Values.Where(e => ExecutionStatus.IsActive(e.Status)).Select(e => e.DeploymentId).ToHashSet();
            foreach (var queued in _executions.Values.Where(e => e.Status == ExecutionStatus.Queued).OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal))
            {
                if (active >= maxActive)
                {
                    break;
                }

                if (!busy.Add(queued.DeploymentId))
                {
                    continue;
                }

                var pending = queued with { Status = ExecutionStatus.Pending };
                _executions[queued.Id] = pending;
                started.Add(pending);
                active++;
            }

            return Task.FromResult<IReadOnlyList<Execution>>(started);
        }
    }

    public Task InsertExecutionScheduleAsync(ExecutionSchedule schedule, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ExecutionSchedule?> GetExecutionScheduleAsync(string tenantName, string deploymentId, string id, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<Page<ExecutionSchedule>> ListExecutionSchedulesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<bool> UpdateExecutionScheduleAsync(ExecutionSchedule schedule, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteExecutionScheduleAsync(string tenantName, string deploymentId, string id, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<ExecutionSchedule>> ListDueExecutionSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<bool> TryAdvanceExecutionScheduleAsync(
        ExecutionSchedule schedule, DateTimeOffset expectedNext, DateTimeOffset? next, bool enabled, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task SetScheduleLatestExecutionAsync(ExecutionSchedule schedule, string executionId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<bool> TryResumeExecutionAsync(
        string id, IReadOnlyList<string> expectedFrom, IReadOnlyList<string> resetOperationStates, string tokenHash, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_executions.TryGetValue(id, out var e) || !expectedFrom.Contains(e.Status))
            {
                return Task.FromResult(false);
            }

            _executions[id] = e with { Status = ExecutionStatus.Pending, EndedAt = null, Error = "", Resume = true, TokenHash = tokenHash };
            var graphs = _graphs.Where(g => g.ExecutionId == id).Select(g => g.Id).ToHashSet();
            foreach (var op in _operations.Values.Where(o => graphs.Contains(o.GraphId) && resetOperationStates.Contains(o.State)).ToList())
            {
                _operations[op.Id] = op with { State = "pending", Attempt = op.ClaimedAttempt >= op.Attempt ? op.ClaimedAttempt.Value + 1 : op.Attempt };
            }

            return Task.FromResult(true);
        }
    }
}
