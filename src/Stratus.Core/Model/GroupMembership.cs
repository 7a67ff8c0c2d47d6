namespace Stratus.Core.Model;

/// <summary>A user's membership of a user group.</summary>
public sealed record GroupMembership(string Group, string Username);
