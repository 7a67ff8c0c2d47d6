using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// Inserts an execution. When <paramref name="exclusiveOnDeployment"/> is true the insert fails with
    /// <c>existing_running_execution_error</c> if the deployment has an active execution (checked atomically).
    /// </summary>
    Task InsertExecutionAsync(Execution execution, bool exclusiveOnDeployment, CancellationToken cancellationToken = default);

    /// <summary>Gets an execution; a null tenant looks across tenants (for the engine and token auth).</summary>
    Task<Execution?> GetExecutionAsync(string? tenantName, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The active execution whose current or previous token hashes to <paramref name="tokenHash"/> (SHA-256 hex), across
    /// tenants; null otherwise.
    /// </summary>
    Task<Execution?> GetExecutionByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Filter/sort fields: id, deployment_id, blueprint_id, workflow_id, status, created_at, started_at, ended_at, is_system_workflow.</summary>
    Task<Page<Execution>> ListExecutionsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Compare-and-set of the status; true when the row was in one of the expected states and changed.</summary>
    Task<bool> TryTransitionExecutionAsync(string id, ExecutionTransition transition, CancellationToken cancellationToken = default);

    /// <summary>Sets total/finished operation counters.</summary>
    Task UpdateExecutionProgressAsync(string id, int totalOperations, int finishedOperations, CancellationToken cancellationToken = default);

    /// <summary>Executions in the given statuses, across tenants, oldest first (for resume on start-up).</summary>
    Task<IReadOnlyList<Execution>> ListExecutionsByStatusAsync(IReadOnlyList<string> statuses, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the token hash (SHA-256 hex) of an active execution: a workflow resumed after a restart no longer
    /// has the plain token, so the engine issues a fresh one. The replaced hash stays valid as the previous token (operations
    /// the earlier run sent carry it). False when the execution is not active.
    /// </summary>
    Task<bool> SetExecutionTokenHashAsync(string id, string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves to <c>pending</c> the queued executions that may run now and returns them, oldest first (Cloudify's
    /// <c>_get_queued_executions</c>): a queued system workflow goes first and alone, once nothing is active; while a
    /// system workflow is active or queued nothing else leaves the queue; otherwise the oldest queued execution of each
    /// deployment without an active execution, while fewer than <paramref name="maxActive"/> executions are active.
    /// Each move is a compare-and-set from <c>queued</c> under a lock shared by every dequeuer, so two managers never
    /// start the same execution and never exceed the limit together.
    /// </summary>
    Task<IReadOnlyList<Execution>> DequeueExecutionsAsync(int maxActive, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resume (Cloudify's <c>resume_execution</c> + <c>reset_operations</c>) in one transaction: the execution moves from
    /// one of <paramref name="expectedFrom"/> to <c>pending</c> with <c>resume</c> set, <c>ended_at</c> and the error
    /// cleared and a new token hash, and its stored operations in <paramref name="resetOperationStates"/> go back to
    /// <c>pending</c>. False (and nothing changed) when the execution was not in an expected state.
    /// </summary>
    Task<bool> TryResumeExecutionAsync(
        string id, IReadOnlyList<string> expectedFrom, IReadOnlyList<string> resetOperationStates, string tokenHash, CancellationToken cancellationToken = default);
}
