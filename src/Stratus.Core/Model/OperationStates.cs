namespace Stratus.Core.Model;

/// <summary>
/// Cloudify's task states in the order one attempt of an operation goes through them, and the rule every write of an
/// operation's state keeps: a row holds one attempt and its state; a write for a later attempt replaces it, a write for
/// the same attempt may only move forward (pending, sending, sent, started, then an end) and never leaves an end, and a
/// write for an earlier attempt changes nothing. The engine's batched writes, an agent's claim and a plain
/// <c>PATCH /operations/{id}</c> all race for the same row; this order makes the outcome independent of who is last.
/// </summary>
public static class OperationStates
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Started = "started";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Rescheduled = "rescheduled";

    /// <summary>Every state, in Cloudify's order.</summary>
    public static readonly IReadOnlyList<string> All = [Pending, Sending, Sent, Started, Succeeded, Failed, Rescheduled];

    /// <summary>The ends of an attempt: its result is known.</summary>
    public static readonly IReadOnlyList<string> Ended = [Succeeded, Failed, Rescheduled];

    /// <summary>The states before an end, in order; an end ranks after all of them.</summary>
    public static readonly IReadOnlyList<string> Progress = [Pending, Sending, Sent, Started];

    public static bool IsEnded(string state) => state is Succeeded or Failed or Rescheduled;

    /// <summary>Position of a state within one attempt: 0 for pending up to 3 for started, 4 for any end.</summary>
    public static int Rank(string state) => state switch
    {
        Pending => 0,
        Sending => 1,
        Sent => 2,
        Started => 3,
        _ => 4,
    };

    /// <summary>
    /// Whether a write of <paramref name="state"/> for <paramref name="attempt"/> replaces what the row holds (writing
    /// the state the row already has is allowed and changes nothing, so a repeated write is not a conflict).
    /// </summary>
    public static bool MayReplace(string currentState, int currentAttempt, string state, int attempt) =>
        attempt > currentAttempt
        || (attempt == currentAttempt && (state == currentState || (!IsEnded(currentState) && Rank(state) >= Rank(currentState))));

    /// <summary>
    /// Whether <paramref name="attempt"/> has finished: the engine recorded its end, or moved on to a later attempt
    /// (which it does only after recording the result of this one, or after giving it up).
    /// </summary>
    public static bool HasFinished(string currentState, int currentAttempt, int attempt) =>
        currentAttempt > attempt || (currentAttempt == attempt && IsEnded(currentState));
}
