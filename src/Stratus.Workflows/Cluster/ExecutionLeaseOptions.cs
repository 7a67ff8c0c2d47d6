using System.ComponentModel.DataAnnotations;

namespace Stratus.Workflows.Cluster;

/// <summary>How this manager holds the executions it runs when several managers share one database (validated at start-up).</summary>
public sealed class ExecutionLeaseOptions
{
    /// <summary>This manager's id: the owner written on its leases. Unique among the managers sharing the database.</summary>
    [Required]
    [MinLength(1)]
    public string ManagerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>How long a lease lasts without renewal: a dead manager's executions are taken over this long after its last renewal.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A <c>pending</c> execution no manager claimed for this long after it was created is started by the sweep of
    /// whichever manager gets it first: its start message was lost (dead-lettered while the database was away).
    /// </summary>
    public TimeSpan PendingStartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Renewals (and scans for executions whose lease expired) happen this often: a third of the lease.</summary>
    public TimeSpan RenewInterval => LeaseDuration / 3;
}
