namespace Stratus.Storage;

/// <summary>The fields a PATCH of an agent may set; null means "leave as is".</summary>
public sealed record AgentUpdate
{
    public string? State { get; init; }

    public string? System { get; init; }

    public string? Version { get; init; }

    public string? Ip { get; init; }
}
