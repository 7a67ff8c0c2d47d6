namespace Stratus.Client;

/// <summary>Where the manager is and who is calling: the settings <c>cfy profiles use</c> would hold.</summary>
public sealed record StratusClientOptions
{
    public const string DefaultManagerUrl = "http://127.0.0.1:8100";

    public const string DefaultTenant = "default_tenant";

    public Uri BaseAddress { get; init; } = new(DefaultManagerUrl);

    public string Username { get; init; } = "admin";

    public string? Password { get; init; }

    public string Tenant { get; init; } = DefaultTenant;

    /// <summary>Per-request timeout; blueprint uploads block until parsing ends, so this is generous.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}
