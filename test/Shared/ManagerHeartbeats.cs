using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Testing;

/// <summary>
/// Manager rows as a manager's heartbeat writes them, for tests that need a manager seen lately, restarted or gone.
/// One source file linked into the test projects that seed them (test/Shared).
/// </summary>
internal static class ManagerHeartbeats
{
    /// <summary>The row of manager <paramref name="name"/>, started at <paramref name="startedAt"/>, last seen at <paramref name="seen"/>.</summary>
    public static ManagerRecord Row(string name, DateTimeOffset startedAt, DateTimeOffset seen) => new()
    {
        Name = name,
        Hostname = name,
        PrivateIp = "127.0.0.1",
        PublicIp = "127.0.0.1",
        Version = "7.1.0",
        Edition = "community",
        Distribution = "stratus",
        StartedAt = startedAt,
        LastSeen = seen,
        StatusReportFrequency = 5,
    };

    /// <summary>Stores a heartbeat of manager <paramref name="name"/> (started at <paramref name="startedAt"/>) seen at <paramref name="seen"/>.</summary>
    public static Task BeatAsync(
        this IStratusStore store, string name, DateTimeOffset startedAt, DateTimeOffset seen, CancellationToken cancellationToken = default) =>
        store.UpsertManagerAsync(Row(name, startedAt, seen), cancellationToken);
}
