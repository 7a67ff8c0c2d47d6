namespace Stratus.Core.Model;

/// <summary>
/// An API token (<c>ctok-&lt;id&gt;-&lt;secret&gt;</c>). <see cref="SecretHash"/> is a hash of the secret, never the
/// secret; <see cref="Username"/> and <see cref="UserRole"/> describe the owner when read back.
/// </summary>
public sealed record ApiToken
{
    public required string Id { get; init; }

    public required string SecretHash { get; init; }

    public string? Description { get; init; }

    public required string Username { get; init; }

    public string UserRole { get; init; } = "";

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpirationDate { get; init; }

    public DateTimeOffset? LastUsed { get; init; }
}
