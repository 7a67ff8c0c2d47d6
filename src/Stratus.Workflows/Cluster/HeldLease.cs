namespace Stratus.Workflows.Cluster;

/// <summary>An execution this manager holds; <see cref="Lost"/> is cancelled when another manager may have taken it.</summary>
internal sealed class HeldLease(string executionId) : IDisposable
{
    private readonly CancellationTokenSource _lost = new();

    public string ExecutionId => executionId;

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    public void MarkLost() => _lost.Cancel();

    public void Dispose() => _lost.Dispose();
}
