namespace Stratus.Storage;

/// <summary>The user settings one call changes; null leaves a setting as it is.</summary>
public sealed record UserUpdate
{
    public string? PasswordHash { get; init; }

    /// <summary>New system role; refused (nothing written) if it would demote the last active <c>sys_admin</c>.</summary>
    public string? Role { get; init; }

    /// <summary>Refused (nothing written) if deactivating the last active <c>sys_admin</c>.</summary>
    public bool? Active { get; init; }

    public bool? ShowGettingStarted { get; init; }

    /// <summary>Clears the failed-login counter (Cloudify's unlock).</summary>
    public bool Unlock { get; init; }
}
