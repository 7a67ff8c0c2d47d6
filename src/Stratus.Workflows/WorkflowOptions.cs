using System.ComponentModel.DataAnnotations;

namespace Stratus.Workflows;

/// <summary>Options of the workflow engine (validated at start-up).</summary>
public sealed class WorkflowOptions
{
    /// <summary>Hosts agents use to call the manager's REST API back (put into every operation context).</summary>
    [MinLength(1)]
    public IList<string> RestHost { get; init; } = ["127.0.0.1"];

    [Range(1, 65535)]
    public int RestPort { get; set; } = 80;

    /// <summary><c>http</c> or <c>https</c>.</summary>
    [RegularExpression("^https?$")]
    public string RestProtocol { get; set; } = "http";

    /// <summary>Written into operations and events as <c>manager_name</c>.</summary>
    [Required]
    public string ManagerName { get; set; } = "stratus";

    /// <summary>Workflows run at once by this manager; more wait in the queue.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentWorkflows { get; set; } = 20;

    /// <summary>Retries of an operation that declares no <c>max_retries</c>; -1 is unlimited (Cloudify's <c>workflow.task_retries</c>, 60).</summary>
    [Range(-1, int.MaxValue)]
    public int DefaultTaskRetries { get; set; } = 60;

    /// <summary>
    /// How often a failed instance subgraph of install, uninstall or reinstall is re-run (install: as a reinstall of
    /// the instance) before the workflow fails; -1 is unlimited (Cloudify's <c>workflow.subgraph_retries</c>, 0).
    /// </summary>
    [Range(-1, int.MaxValue)]
    public int SubgraphRetries { get; set; }

    /// <summary>Wait before a retry when the operation declares no <c>retry_interval</c> (Cloudify's <c>workflow.task_retry_interval</c>, 15 s).</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>After an operation failed for good, how long to wait for other in-flight operations (Cloudify's <c>wait_after_fail</c>, 600 s).</summary>
    public TimeSpan WaitAfterFail { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>How often a running workflow re-reads its execution's status to notice a cancel request while idle.</summary>
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events are written when this many are buffered, and at the end of every engine round.</summary>
    [Range(1, 100_000)]
    public int EventBatchSize { get; set; } = 100;

    /// <summary>Resume executions left <c>started</c> by a previous process when the engine starts.</summary>
    public bool ResumeOnStart { get; set; } = true;

    /// <summary>
    /// A host agent whose last heartbeat is older than this while it holds operations is taken as gone: each of its
    /// operations fails as recoverable (retried within max_retries), as Cloudify's "Timed out waiting for agent".
    /// </summary>
    public TimeSpan AgentHeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Before an operation goes to a host agent, the agent is pinged over the broker (Cloudify's <c>ping</c> service
    /// task); no answer within this time fails the operation as recoverable ("Timed out waiting for agent"), retried
    /// within its max_retries. Cloudify's default (<c>INSPECT_TIMEOUT</c>) is 30 s. Zero: no ping.
    /// </summary>
    public TimeSpan AgentPingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an answered ping vouches for its agent: operations sent to it meanwhile are not pinged again, so a burst
    /// of 2,000 operations to one agent costs one ping, not 2,000.
    /// </summary>
    public TimeSpan AgentPingCacheTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a running workflow looks at the heartbeats of the agents holding its operations.</summary>
    public TimeSpan AgentCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A manager whose row was not refreshed for this long is gone: an operation attempt its own agent claimed is sent
    /// again (same attempt) and may be claimed by another manager's agent. The server uses the execution lease for the
    /// same rule. Judged only while this manager's own row (<see cref="ManagerId"/>) shows unbroken contact with the
    /// database for at least as long.
    /// </summary>
    public TimeSpan ClaimHolderTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// This manager's id, the name of its heartbeat row in <c>managers</c>: the evidence that it has been in contact
    /// with the database long enough to judge another manager gone. Null: no claim holder is ever judged gone here.
    /// </summary>
    public string? ManagerId { get; set; }
}
