namespace Stratus.Client;

/// <summary>What <c>GET /events</c> should return; events only unless <see cref="IncludeLogs"/>.</summary>
public sealed record EventsQuery
{
    public string? ExecutionId { get; init; }

    public string? DeploymentId { get; init; }

    public bool IncludeLogs { get; init; } = true;

    public int Offset { get; init; }

    public int Size { get; init; } = 1000;

    /// <summary>Sent as <c>_sort</c>; Cloudify orders events by <c>@timestamp</c>.</summary>
    public string Sort { get; init; } = "@timestamp";
}
