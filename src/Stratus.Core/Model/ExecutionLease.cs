namespace Stratus.Core.Model;

/// <summary>Which manager runs an execution, and until when its hold lasts without renewal.</summary>
public sealed record ExecutionLease(string Owner, DateTimeOffset ExpiresAt);
