using System.Data.Common;

namespace Stratus.Storage.Sql;

/// <summary>
/// A connection with an open transaction. Disposing without <see cref="CommitAsync"/> rolls back; disposing always
/// releases whatever the provider took to enter the session (the SQLite writer gate).
/// </summary>
internal sealed class WriteSession : IAsyncDisposable
{
    private readonly Action? _release;
    private bool _released;

    public WriteSession(DbConnection connection, DbTransaction transaction, Action? release)
    {
        Connection = connection;
        Transaction = transaction;
        _release = release;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            if (!_released)
            {
                _released = true;
                _release?.Invoke();
            }
        }
    }
}
