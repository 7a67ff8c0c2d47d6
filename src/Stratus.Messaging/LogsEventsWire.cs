namespace Stratus.Messaging;

/// <summary>
/// The shapes of a message body on <see cref="LogsEventsTopology.Queue"/> a manager reads, as it advertises them in its
/// <c>managers</c> row and in <c>GET /managers</c> (<see cref="Field"/>). A manager that reads only
/// <see cref="Line"/> drops a <see cref="Batch"/> body, so an agent publishes batches only while every live manager
/// reports <see cref="Batch"/>; the levels are ordered, a higher one reading all the lower ones' bodies.
/// </summary>
public static class LogsEventsWire
{
    /// <summary>One JSON object per message: Cloudify's senders, and all a manager older than the field reads.</summary>
    public const int Line = 0;

    /// <summary>Also a JSON array of such objects in one message (a batch of lines).</summary>
    public const int Batch = 1;

    /// <summary>The extra field of each <c>GET /managers</c> item (absent from Cloudify's and older managers' answers: <see cref="Line"/>).</summary>
    public const string Field = "event_wire";
}
