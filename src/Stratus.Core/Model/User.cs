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
}
