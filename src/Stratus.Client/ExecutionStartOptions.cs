namespace Stratus.Client;

/// <summary>The optional flags of <c>POST /executions</c>.</summary>
public sealed record ExecutionStartOptions
{
    public bool Force { get; init; }

    public bool AllowCustomParameters { get; init; }

    public bool DryRun { get; init; }

    public bool Queue { get; init; }
}
