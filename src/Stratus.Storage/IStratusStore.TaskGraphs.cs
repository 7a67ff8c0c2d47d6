using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>Stores a graph with all its operations in one transaction.</summary>
    Task InsertTaskGraphAsync(TaskGraph graph, IReadOnlyList<OperationRecord> operations, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TaskGraph>> ListTaskGraphsAsync(string executionId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OperationRecord>> ListOperationsAsync(string graphId, CancellationToken cancellationToken = default);

    Task<OperationRecord?> GetOperationAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Sets the state of many operations in one statement.</summary>
    Task UpdateOperationStatesAsync(IReadOnlyList<(string Id, string State)> states, CancellationToken cancellationToken = default);

    Task UpdateTaskGraphStateAsync(string graphId, string state, CancellationToken cancellationToken = default);
}
