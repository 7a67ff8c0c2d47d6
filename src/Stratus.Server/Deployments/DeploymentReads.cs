using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Storage;

namespace Stratus.Server.Deployments;

/// <summary>The set-based reads that rendering deployments, nodes and executions needs (no per-row queries).</summary>
internal static class DeploymentReads
{
    public static ListQuery In(string field, IEnumerable<string> values) => new()
    {
        Filters = new Dictionary<string, IReadOnlyList<string>> { [field] = [.. values.Distinct(StringComparer.Ordinal)] },
        GetAll = true,
    };

    public static async Task<ILookup<string, NodeInstance>> InstancesByDeploymentAsync(
        IStratusStore store, string tenant, IReadOnlyCollection<string> deploymentIds, CancellationToken cancellationToken)
    {
        if (deploymentIds.Count == 0)
        {
            return Array.Empty<NodeInstance>().ToLookup(i => i.DeploymentId);
        }

        var page = await store.ListNodeInstancesAsync(tenant, In("deployment_id", deploymentIds), cancellationToken);
        return page.Items.ToLookup(i => i.DeploymentId, StringComparer.Ordinal);
    }

    public static async Task<Dictionary<string, Execution>> ExecutionsByIdAsync(
        IStratusStore store, string tenant, IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<string>().ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, Execution>(StringComparer.Ordinal);
        }

        var page = await store.ListExecutionsAsync(tenant, In("id", wanted), cancellationToken);
        return page.Items.ToDictionary(e => e.Id, StringComparer.Ordinal);
    }

    public static async Task<Dictionary<string, string>> DisplayNamesAsync(
        IStratusStore store, string tenant, IEnumerable<string?> deploymentIds, CancellationToken cancellationToken)
    {
        var wanted = deploymentIds.OfType<string>().ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var page = await store.ListDeploymentsAsync(tenant, In("id", wanted), cancellationToken);
        return page.Items.ToDictionary(d => d.Id, d => d.DisplayName, StringComparer.Ordinal);
    }

    /// <summary>The inputs, nodes and instances functions of <paramref name="deployment"/> evaluate against.</summary>
    public static async Task<DeploymentFunctionContext> FunctionContextAsync(
        IStratusStore store,
        Deployment deployment,
        string? self,
        string? source,
        string? target,
        SecretCache? secrets,
        CancellationToken cancellationToken)
    {
        var byDeployment = In("deployment_id", [deployment.Id]);
        var nodes = await store.ListNodesAsync(deployment.TenantName, byDeployment, cancellationToken);
        var instances = await store.ListNodeInstancesAsync(deployment.TenantName, byDeployment, cancellationToken);
        var consumers = await ConsumerNamesAsync(store, deployment.TenantName, [deployment], cancellationToken);
        return new DeploymentFunctionContext(deployment, nodes.Items, instances.Items, consumers, self, source, target, secrets);
    }

    /// <summary>Display names of the deployments the <c>csys-consumer-id</c> labels of <paramref name="deployments"/> name (get_consumers).</summary>
    public static Task<Dictionary<string, string>> ConsumerNamesAsync(
        IStratusStore store, string tenant, IEnumerable<Deployment> deployments, CancellationToken cancellationToken) =>
        DisplayNamesAsync(
            store,
            tenant,
            deployments.SelectMany(d => d.Labels).Where(l => l.Key == ResourceLabel.ConsumerKey).Select(l => l.Value).Distinct(StringComparer.Ordinal),
            cancellationToken);
}
