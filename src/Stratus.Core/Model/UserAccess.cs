namespace Stratus.Core.Model;

/// <summary>
/// What authorization needs about a user in one tenant: the user, the system roles of the groups it belongs to and
/// its tenant roles there (direct and through groups).
/// </summary>
public sealed record UserAccess(User User, IReadOnlyList<string> GroupSystemRoles, IReadOnlyList<string> TenantRoles);
