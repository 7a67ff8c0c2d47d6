using Stratus.Storage;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Failures of the infrastructure rather than of the workflow: the database or the broker could not be reached
/// (restarting, a dropped connection, a timeout). A run that meets one stops without failing its execution, which a
/// manager resumes once its lease is free again.
/// </summary>
internal static class TransientFailure
{
    public static bool Is(Exception exception) => TransientStoreFailure.Is(exception);
}
