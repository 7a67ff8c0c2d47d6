using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Contracts.Tasks;

namespace Stratus.Workflows.Graph;

/// <summary>
/// One task of a workflow's graph, in the shape Cloudify stores it (an <c>operations</c> row): the engine runs these,
/// and <see cref="ToRecord"/> / <see cref="FromRecord"/> make them durable so a restarted manager resumes the graph.
/// </summary>
internal sealed class GraphTask
{
    public required string Id { get; init; }

    /// <summary>One of <see cref="TaskTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The task name: <c>script_runner.tasks.run</c>, a subgraph name, or the task class for built-ins.</summary>
    public required string Name { get; init; }

    public string? Info { get; init; }

    public string? ContainingSubgraph { get; init; }

    /// <summary>The task this one replaces (Cloudify's <c>retried_task</c>): dependencies on it now mean this one.</summary>
    public string? RetriedTask { get; set; }

    /// <summary>Ids of the tasks this one waits for (including its containing subgraph).</summary>
    public HashSet<string> Dependencies { get; } = [];

    public JsonObject TaskKwargs { get; init; } = [];

    public string State { get; set; } = OperationStates.Pending;

    public int CurrentRetries { get; set; }

    /// <summary>-1 means unlimited.</summary>
    public int TotalRetries { get; set; }

    /// <summary>Seconds between retries when the failure names no delay.</summary>
    public double RetryInterval { get; init; } = 30;

    public bool SendTaskEvents { get; init; }

    public JsonObject? Error { get; set; }

    /// <summary>Cloudify's <c>on_success</c> handler (<see cref="TaskHandlers"/>), or null.</summary>
    public JsonObject? OnSuccess { get; set; }

    /// <summary>Cloudify's <c>on_failure</c> handler (<see cref="TaskHandlers"/>), or null for the default.</summary>
    public JsonObject? OnFailure { get; set; }

    /// <summary>
    /// A failure of this task is handled and then ignored (uninstall with <c>ignore_failure</c>, check_status with
    /// <c>ignore_failure</c>, a failed heal): no retries, and the tasks after it run as if it had succeeded.
    /// Setting it installs Cloudify's "send a node event and ignore" handler.
    /// </summary>
    public bool IgnoreFailure
    {
        get => TaskHandlers.Ignores(OnFailure);
        set => OnFailure = value ? TaskHandlers.Of(TaskHandlers.SendNodeEvent, NodeInstanceId) : null;
    }

    /// <summary>A remote task with an on_failure handler is not retried on errors (only when it asks for a retry).</summary>
    public bool HasFailureHandler => OnFailure is not null && Type != TaskTypes.Subgraph && TaskHandlers.Path(OnFailure) != TaskHandlers.ScriptRequest;

    /// <summary>Succeeded, or failed with its failure ignored: what waits for it may go on.</summary>
    public bool IsDone => State == OperationStates.Succeeded || (State == OperationStates.Failed && IgnoreFailure);

    /// <summary>Not stored: when a retry may be sent.</summary>
    public DateTimeOffset? ExecuteAfter { get; set; }

    public bool IsTerminated => OperationStates.IsEnded(State);

    /// <summary>The remote task's <c>__cloudify_context</c> as stored (without tokens).</summary>
    public JsonObject? CloudifyContext =>
        TaskKwargs["kwargs"] is JsonObject kwargs ? kwargs[TaskContext.KwargName] as JsonObject : null;

    /// <summary>The remote task's operation inputs, unevaluated.</summary>
    public JsonObject OperationInputs
    {
        get
        {
            var inputs = TaskKwargs["kwargs"] is JsonObject kwargs ? (JsonObject)kwargs.DeepClone() : [];
            inputs.Remove(TaskContext.KwargName);
            return inputs;
        }
    }

    /// <summary>The node instance the task acts on, if any.</summary>
    public string? NodeInstanceId => Type == TaskTypes.Remote
        ? Text(CloudifyContext, "node_id")
        : Text(TaskKwargs, "node_instance_id");

    /// <summary>The full operation name (<c>cloudify.interfaces.lifecycle.create</c>) of a remote task.</summary>
    public string? OperationName => CloudifyContext?["operation"] is JsonObject op ? Text(op, "name") : null;

    /// <summary>Cloudify's <c>short_description</c>: <c>name (instance:operation)</c> for remote tasks.</summary>
    public string ShortDescription => Type switch
    {
        TaskTypes.Remote when NodeInstanceId is null && Name == QueueNames.ExecuteWorkflowTask => $"{Name} ({OperationName})",
        TaskTypes.Remote => $"{Name} ({NodeInstanceId ?? "<unknown node>"}:{OperationName ?? "<unknown operation>"})",
        _ => Name,
    };

    public OperationRecord ToRecord(string graphId, string tenantName, string? managerName, DateTimeOffset createdAt) => new()
    {
        Id = Id,
        GraphId = graphId,
        TenantName = tenantName,
        Name = Name,
        State = State,
        Dependencies = [.. Dependencies],
        Type = Type,
        ManagerName = managerName,
        CreatedAt = createdAt,
        Attempt = CurrentRetries,
        Parameters = new JsonObject
        {
            ["containing_subgraph"] = ContainingSubgraph,
            ["current_retries"] = CurrentRetries,
            ["total_retries"] = TotalRetries,
            ["retry_interval"] = RetryInterval,
            ["send_task_events"] = SendTaskEvents,
            ["info"] = Info,
            ["error"] = Error?.DeepClone(),
            ["retried_task"] = RetriedTask,
            ["on_success"] = OnSuccess?.DeepClone(),
            ["on_failure"] = OnFailure?.DeepClone(),
            ["task_kwargs"] = TaskKwargs.DeepClone(),
        },
    };

    public static GraphTask FromRecord(OperationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var p = record.Parameters;
        var task = new GraphTask
        {
            Id = record.Id,
            Type = record.Type,
            Name = record.Name,
            Info = Text(p, "info"),
            ContainingSubgraph = Text(p, "containing_subgraph"),
            TaskKwargs = p["task_kwargs"] is JsonObject kwargs ? (JsonObject)kwargs.DeepClone() : [],
            State = RestoredState(record),
            CurrentRetries = RestoredAttempt(record),
            TotalRetries = Number(p, "total_retries") is { } total ? (int)total : 0,
            RetryInterval = Number(p, "retry_interval") ?? 30,
            SendTaskEvents = p["send_task_events"] is JsonValue send && send.TryGetValue(out bool s) && s,
            Error = p["error"]?.DeepClone() as JsonObject,
            RetriedTask = Text(p, "retried_task"),
            OnSuccess = p["on_success"]?.DeepClone() as JsonObject,
            OnFailure = p["on_failure"]?.DeepClone() as JsonObject,
        };
        task.Dependencies.UnionWith(record.Dependencies);
        return task;
    }

    /// <summary>
    /// The attempt a restored task is at. The stored parameters keep the first one, the row the attempt of its last
    /// state write (a later attempt's write replaces the row only after the engine stored or gave up the earlier one),
    /// and a claim the attempt an agent took last (the claim writes <c>started</c> at that attempt). So a claim is
    /// settled exactly when the row is at a later attempt: the task goes on with the row's attempt. A row at or before
    /// its claimed attempt is at the claimed one, which an agent may be running still; it is never the next attempt,
    /// which would be claimable beside it and could run the operation twice.
    /// </summary>
    private static int RestoredAttempt(OperationRecord record) =>
        record.ClaimedAttempt is { } claimed ? Math.Max(StoredAttempt(record), claimed) : StoredAttempt(record);

    /// <summary>
    /// The state a restored task is in: the row's, except that a row claimed at its own attempt but stored before
    /// <c>started</c> is in flight at the claimed attempt (the stores do not produce such a row, as a claim writes
    /// <c>started</c>; this keeps a restore from reading the claim as settled if one ever appears): on a durable broker
    /// its reply is awaited, otherwise that attempt is sent again under the same message id, and another agent's claim
    /// of it is refused.
    /// </summary>
    private static string RestoredState(OperationRecord record) =>
        record.ClaimedAttempt is { } claimed && claimed >= StoredAttempt(record) && record.State is OperationStates.Pending or OperationStates.Sending
            ? OperationStates.Started
            : record.State;

    private static int StoredAttempt(OperationRecord record) =>
        Math.Max(Number(record.Parameters, "current_retries") is { } current ? (int)current : 0, record.Attempt);

    internal static string? Text(JsonObject? obj, string key) =>
        obj?[key] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    internal static double? Number(JsonObject? obj, string key) => Number(obj?[key]);

    internal static double? Number(JsonNode? node) =>
        node is JsonValue value
        && value.GetValueKind() == System.Text.Json.JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
