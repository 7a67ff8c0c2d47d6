namespace Stratus.Agent;

/// <summary>How an agent delivers its operations' events and logs to the managers.</summary>
public enum EventsRoute
{
    /// <summary><c>POST /events</c> on a manager (Cloudify 7.x's path); a batch is retried while no manager answers.</summary>
    Rest,

    /// <summary>
    /// Published, persistent and confirmed, to <c>cloudify-events-topic</c> / <c>cloudify-logs</c> (Cloudify's
    /// amqp-postgres path): the broker holds them while managers or the database restart.
    /// </summary>
    Broker,
}
