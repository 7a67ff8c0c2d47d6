namespace Stratus.Workflows.Engine;

/// <summary>How a graph ended: an execution status and, when it failed, Cloudify's error message.</summary>
internal sealed record GraphOutcome(string Status, string? Error = null);
