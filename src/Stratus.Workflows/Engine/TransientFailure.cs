using System.Data.Common;
using System.Net.Sockets;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Failures of the infrastructure rather than of the workflow: the database or the broker could not be reached
/// (restarting, a dropped connection, a timeout). A run that meets one stops without failing its execution, which a
/// manager resumes once its lease is free again.
/// </summary>
internal static class TransientFailure
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
