namespace Stratus.Core.Model;

/// <summary>A manager user. <see cref="PasswordHash"/> is a salted PBKDF2 string, never the password.</summary>
public sealed record User
{
    public long StorageId { get; init; }

    public required string Username { get; init; }

    public required string PasswordHash { get; init; }

    /// <summary>System role: <c>sys_admin</c> or <c>default</c>.</summary>
    public required string Role { get; init; }

    public bool Active { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? FirstLoginAt { get; init; }

    public DateTimeOffset? LastLoginAt { get; init; }

    public DateTimeOffset? LastFailedLoginAt { get; init; }

    /// <summary>Failed password checks since the last successful one (Cloudify's lockout counter).</summary>
    public int FailedLoginsCounter { get; init; }

    public bool ShowGettingStarted { get; init; } = true;
}
