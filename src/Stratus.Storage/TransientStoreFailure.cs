using System.Data.Common;
using System.Net.Sockets;

namespace Stratus.Storage;

/// <summary>
/// Whether a store call failed because the database could not be reached (restarting, a dropped connection, a
/// timeout) rather than over the data: the same call may succeed later, so callers keep their work and retry.
/// </summary>
public static class TransientStoreFailure
{
    public static bool Is(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case DbException db when db.IsTransient || IsConnectionState(db.SqlState):
                case TimeoutException:
                case SocketException:
                case IOException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>SQLSTATE classes 08 (connection exception), 53 (insufficient resources) and 57P (operator intervention: a server shutting down or restarting).</summary>
    private static bool IsConnectionState(string? sqlState) =>
        sqlState is not null
        && (sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal) || sqlState.StartsWith("57P", StringComparison.Ordinal));
}
