using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Stratus.Workflows.Cluster;

/// <summary>Renews this manager's execution leases every <see cref="ExecutionLeaseOptions.RenewInterval"/> while it runs.</summary>
internal sealed class LeaseRenewalService(ExecutionLeases leases, TimeProvider timeProvider, IOptions<ExecutionLeaseOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.RenewInterval, timeProvider, stoppingToken);
                await leases.RenewAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the hosted workflow service releases what it still holds.
        }
    }
}
