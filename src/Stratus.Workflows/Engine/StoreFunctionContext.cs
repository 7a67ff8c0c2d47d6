using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Storage;

namespace Stratus.Workflows.Engine;

/// <summary>
/// A snapshot of a deployment for runtime intrinsic functions (<c>get_attribute</c>, <c>get_property</c>, ...),
/// read from the store just before an operation is sent so it sees the latest runtime properties.
/// </summary>
internal sealed class StoreFunctionContext : IFunctionContext
{
    private readonly Dictionary<string, JsonObject> _nodes;
    private readonly Dictionary<string, NodeInstance> _instances;
    private readonly SecretCache? _secrets;

    private StoreFunctionContext(
        JsonObject inputs, IEnumerable<Node> nodes, IEnumerable<NodeInstance> instances, string? self, string? source, string? target,
        SystemValues? system,
        DeploymentLabelSet? labels,
        SecretCache? secrets)
    {
        _secrets = secrets;
        Inputs = inputs;
        System = system;
        Labels = labels;
        _nodes = nodes.ToDictionary(n => n.Id, ToPlanNode, StringComparer.Ordinal);
        _instances = instances.ToDictionary(i => i.Id, StringComparer.Ordinal);
        SelfInstanceId = self;
        SourceInstanceId = source;
        TargetInstanceId = target;
    }

    public JsonObject Inputs { get; }

    public SystemValues? System { get; }

    public DeploymentLabelSet? Labels { get; }

    public string? SelfInstanceId { get; }

    public string? SourceInstanceId { get; }

    public string? TargetInstanceId { get; }

    public static async Task<StoreFunctionContext> LoadAsync(
        IStratusStore store,
        string tenantName,
        string deploymentId,
        string? self,
        string? source,
        string? target,
        SecretCache? secrets,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var byDeployment = new ListQuery
        {
            GetAll = true,
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["deployment_id"] = [deploymentId] },
        };
        var deployment = await store.GetDeploymentAsync(tenantName, deploymentId, cancellationToken);
        var nodes = await store.ListNodesAsync(tenantName, byDeployment, cancellationToken);
        var instances = await store.ListNodeInstancesAsync(tenantName, byDeployment, cancellationToken);
        var system = deployment is null
            ? null
            : new SystemValues(deployment.TenantName, deployment.Id, deployment.DisplayName, deployment.BlueprintId, deployment.CreatedBy);
        return new StoreFunctionContext(deployment?.Inputs ?? [], nodes.Items, instances.Items, self, source, target, system, await LabelsAsync(store, deployment, cancellationToken), secrets);
    }

    /// <summary><see cref="LoadAsync(IStratusStore, string, string, string?, string?, string?, SecretCache?, CancellationToken)"/> of a deployment already read.</summary>
    public static async Task<StoreFunctionContext> LoadAsync(
        IStratusStore store,
        Deployment deployment,
        string? self,
        string? source,
        string? target,
        SecretCache? secrets,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(deployment);
        var byDeployment = new ListQuery
        {
            GetAll = true,
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["deployment_id"] = [deployment.Id] },
        };
        var nodes = await store.ListNodesAsync(deployment.TenantName, byDeployment, cancellationToken);
        var instances = await store.ListNodeInstancesAsync(deployment.TenantName, byDeployment, cancellationToken);
        var system = new SystemValues(deployment.TenantName, deployment.Id, deployment.DisplayName, deployment.BlueprintId, deployment.CreatedBy);
        return new StoreFunctionContext(
            deployment.Inputs, nodes.Items, instances.Items, self, source, target, system, await LabelsAsync(store, deployment, cancellationToken), secrets);
    }

    /// <summary>The deployment's labels, with the display names of the consumers its <c>csys-consumer-id</c> labels name.</summary>
    private static async Task<DeploymentLabelSet?> LabelsAsync(IStratusStore store, Deployment? deployment, CancellationToken cancellationToken)
    {
        if (deployment is null)
        {
            return null;
        }

        var consumerIds = deployment.Labels.Where(l => l.Key == ResourceLabel.ConsumerKey).Select(l => l.Value).Distinct(StringComparer.Ordinal).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (consumerIds.Count > 0)
        {
            var query = new ListQuery { GetAll = true, Filters = new Dictionary<string, IReadOnlyList<string>> { ["id"] = consumerIds } };
            foreach (var consumer in (await store.ListDeploymentsAsync(deployment.TenantName, query, cancellationToken)).Items)
            {
                names[consumer.Id] = consumer.DisplayName;
            }
        }

        return new DeploymentLabelSet(deployment.Id, [.. deployment.Labels.Select(l => KeyValuePair.Create(l.Key, l.Value))], names);
    }

    public JsonObject? GetNode(string nodeName) => _nodes.GetValueOrDefault(nodeName);

    public JsonObject? GetRuntimeProperties(string nodeInstanceId) =>
        _instances.TryGetValue(nodeInstanceId, out var instance) ? instance.RuntimeProperties : null;

    public IReadOnlyList<string> GetNodeInstanceIds(string nodeName) =>
        [.. _instances.Values.Where(i => i.NodeId == nodeName).OrderBy(i => i.Index).Select(i => i.Id)];

    public string GetNodeName(string nodeInstanceId) =>
        _instances.TryGetValue(nodeInstanceId, out var instance) ? instance.NodeId : nodeInstanceId;

    /// <summary>Targets of the instance's relationships and the instances whose relationships target it.</summary>
    public IReadOnlyCollection<string> GetRelatedInstanceIds(string nodeInstanceId)
    {
        var related = new HashSet<string>(StringComparer.Ordinal);
        if (_instances.TryGetValue(nodeInstanceId, out var self))
        {
            related.UnionWith(TargetIds(self));
        }

        related.UnionWith(_instances.Values.Where(i => TargetIds(i).Contains(nodeInstanceId)).Select(i => i.Id));
        return related;
    }

    private static IEnumerable<string> TargetIds(NodeInstance instance) =>
        instance.Relationships.OfType<JsonObject>().Select(r => r["target_id"]?.GetValue<string>()).OfType<string>();

    /// <summary>From the operation's <see cref="SecretCache"/>; without one get_secret stays as written.</summary>
    public string? GetSecret(string key) => _secrets?.Get(key);

    public ValueTask<bool> LoadPendingAsync(CancellationToken cancellationToken) =>
        _secrets?.LoadPendingAsync(cancellationToken) ?? ValueTask.FromResult(false);

    private static JsonObject ToPlanNode(Node node) => new()
    {
        ["id"] = node.Id,
        ["name"] = node.Id,
        ["type"] = node.Type,
        ["type_hierarchy"] = new JsonArray([.. node.TypeHierarchy.Select(t => (JsonNode?)JsonValue.Create(t))]),
        ["properties"] = node.Properties.DeepClone(),
        ["relationships"] = node.Relationships.DeepClone(),
        ["host_id"] = node.HostId,
    };
}
