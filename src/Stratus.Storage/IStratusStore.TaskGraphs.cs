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

    /// <summary>Sets the state of many operations in one statement.</summary>
    Task UpdateOperationStatesAsync(IReadOnlyList<(string Id, string State)> states, CancellationToken cancellationToken = default);

    Task UpdateTaskGraphStateAsync(string graphId, string state, CancellationToken cancellationToken = default);
}
