using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>How following an execution ended: its last known state, and whether we gave up waiting.</summary>
internal sealed record FollowResult(Execution Execution, bool TimedOut);
