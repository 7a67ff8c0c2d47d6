using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>Stores a graph with all its operations in one transaction.</summary>
    Task InsertTaskGraphAsync(TaskGraph graph, IReadOnlyList<OperationRecord> operations, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds operations to a stored graph in one transaction (a retry created while the graph runs);
    /// <c>not_found_error</c> when the graph does not exist, <c>conflict_error</c> when an operation id does.
    /// </summary>
    Task InsertOperationsAsync(string graphId, IReadOnlyList<OperationRecord> operations, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TaskGraph>> ListTaskGraphsAsync(string executionId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OperationRecord>> ListOperationsAsync(string graphId, CancellationToken cancellationToken = default);

    Task<OperationRecord?> GetOperationAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the state of many operations, each for one attempt, in one transaction; each write is a compare-and-set
    /// (<see cref="OperationStates.MayReplace"/>): a later attempt replaces the row, the same attempt only moves forward
    /// and never leaves an end, an earlier attempt changes nothing. Returns how many rows took their write.
    /// </summary>
    Task<int> UpdateOperationStatesAsync(IReadOnlyList<(string Id, string State, int Attempt)> states, CancellationToken cancellationToken = default);

    /// <summary>
    /// An agent claims one attempt of an operation before running it, by compare-and-set: won when no attempt or an
    /// earlier one was claimed, when the same claimant claims again, or when the execution's run released the attempt's
    /// claim (<see cref="ReleaseOrphanedOperationClaimsAsync"/>). Refused otherwise (a duplicate delivery, a stale
    /// attempt, an attempt that finished: its end is recorded or a later attempt is stored; an operation that
    /// succeeded; an attempt whose holder's manager is gone but whose run has not released it); not found when the
    /// operation is not in the claim's tenant (or execution).
    /// </summary>
    Task<OperationClaimResult> ClaimOperationAsync(OperationClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// Of <paramref name="operationIds"/>, the unfinished ones whose claimed attempt is held by a manager's own agent
    /// whose manager is gone as judged by <paramref name="holders"/>: no row seen since its cut-off that started before
    /// the claim, while the observer's own heartbeats show unbroken contact with the database over that time.
    /// </summary>
    Task<IReadOnlyList<(string Id, int Attempt)>> ListOrphanedOperationClaimsAsync(
        IReadOnlyList<string> operationIds, ClaimHolderCheck holders, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases the claims of those of <paramref name="operationIds"/> that are still orphaned (judged as by
    /// <see cref="ListOrphanedOperationClaimsAsync"/>, inside the compare-and-set), so that any agent may claim the same
    /// attempt again; returns the released ones with their attempt. Called only by the execution's run once it has read
    /// its reply queue since it first saw the orphan: see <see cref="ClaimHolderCheck"/> for why nothing else may
    /// decide a takeover.
    /// </summary>
    Task<IReadOnlyList<(string Id, int Attempt)>> ReleaseOrphanedOperationClaimsAsync(
        IReadOnlyList<string> operationIds, ClaimHolderCheck holders, CancellationToken cancellationToken = default);

    Task UpdateTaskGraphStateAsync(string graphId, string state, CancellationToken cancellationToken = default);
}
