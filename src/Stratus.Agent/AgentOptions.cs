namespace Stratus.Agent;

/// <summary>Options of the operation agent (section <c>Agent</c> when bound from configuration).</summary>
public sealed class AgentOptions
{
    /// <summary>The agent's target name; it consumes <c>&lt;Name&gt;_operation</c>.</summary>
    public string Name { get; set; } = Stratus.Contracts.Tasks.QueueNames.Management;

    /// <summary>
    /// The manager this agent runs inside (its own agent), named in the agent's operation claims so that another
    /// manager's agent may take over an attempt it claimed once this manager is gone; null for a standalone agent.
    /// </summary>
    public string? ManagerName { get; set; }

    /// <summary>Operations run at once (the consumer's prefetch).</summary>
    public int Parallelism { get; set; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>Where each operation gets its private temp folder; default: the system temp folder.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "stratus-agent");

    /// <summary>Finished attempts (success or failure) remembered to answer a duplicate delivery without running it again.</summary>
    public int CompletedTaskMemory { get; set; } = 10_000;

    /// <summary>Interpreter for <c>.py</c> scripts.</summary>
    public string PythonExecutable { get; set; } = "python3";

    /// <summary>Used when an operation sets no timeout.</summary>
    public TimeSpan DefaultOperationTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Variables of the agent's own environment that scripts do not inherit (the agent may run inside the manager,
    /// whose settings can hold credentials).
    /// </summary>
    public IList<string> ScrubbedEnvironmentPrefixes { get; } = ["STRATUS_", "ConnectionStrings__"];

    /// <summary>
    /// After the script exits, how long to keep reading its output; a daemon it started without redirecting output
    /// keeps the pipe open, and the operation must not wait for it.
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a script's log lines may wait before they are sent to the manager.</summary>
    public TimeSpan LogFlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Where operation events and logs go: <see cref="EventsRoute.Rest"/> by default (the in-process agent of a manager
    /// on the embedded broker); a manager on RabbitMQ and <c>stratus agent start</c> use <see cref="EventsRoute.Broker"/>.
    /// </summary>
    public EventsRoute EventsVia { get; set; } = EventsRoute.Rest;

    /// <summary>
    /// How often a standalone agent on the broker path asks which event bodies the managers read (plus up to as much
    /// again at random); it publishes batches only while all of them read batches (<see cref="Manager.EventWire"/>).
    /// </summary>
    public TimeSpan EventWireCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The managers this agent calls, in order of preference, failing over to the next when one cannot be reached.
    /// The agent inside a manager is given that manager, so an operation sent by a manager that died is still served;
    /// empty: each task's <c>rest_host</c> list.
    /// </summary>
    public IList<Uri> ManagerUrls { get; } = [];

    /// <summary>How long an install waits for a <c>provided</c> agent to start heartbeating.</summary>
    public TimeSpan ProvidedAgentTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an install waiting for a <c>provided</c> agent looks again.</summary>
    public TimeSpan ProvidedAgentPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a standalone agent tells the manager it is alive (<c>POST /agents/{name}/heartbeat</c>).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A standalone agent given a broker URL without credentials asks the manager for its own broker user when it
    /// registers (Cloudify's <c>create_rabbitmq_user</c>) and connects with that user.
    /// </summary>
    public bool RequestBrokerUser { get; set; }

    /// <summary>Installing agents on hosts over SSH (the manager's own agent only).</summary>
    public RemoteInstallOptions Remote { get; } = new();

    /// <summary>How long a workflow script's single ctx call may take (it can wait for an operation to end).</summary>
    public TimeSpan WorkflowCtxTimeout { get; set; } = TimeSpan.FromHours(1);
}
