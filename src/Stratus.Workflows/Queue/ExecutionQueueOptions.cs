using System.ComponentModel.DataAnnotations;

namespace Stratus.Workflows.Queue;

/// <summary>Options of the execution queue (validated at start-up).</summary>
public sealed class ExecutionQueueOptions
{
    /// <summary>
    /// Cloudify's <c>max_concurrent_workflows</c>: queued executions leave the queue only while fewer executions than
    /// this are active across every manager sharing the database.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentWorkflows { get; set; } = 20;
}
