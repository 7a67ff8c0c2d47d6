namespace Stratus.Server.Hosting;

/// <summary>When this manager process started (reported as the manager's <c>last_seen</c>).</summary>
internal sealed record Startup(DateTimeOffset StartedAt);
