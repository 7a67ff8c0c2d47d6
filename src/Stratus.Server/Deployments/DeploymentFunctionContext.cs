using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Dsl;

namespace Stratus.Server.Deployments;

/// <summary>
/// What functions evaluate against in the REST service (outputs, capabilities, <c>_evaluate_functions</c> reads,
/// <c>POST /evaluate/functions</c>): the stored inputs, nodes and instances of one deployment, and optionally the
/// SELF / SOURCE / TARGET instances of the caller's context; its labels, with the display names of the deployments its
/// <c>csys-consumer-id</c> labels name.
/// </summary>
internal sealed class DeploymentFunctionContext(
    Deployment deployment,
    IReadOnlyList<Node> nodes,
    IReadOnlyList<NodeInstance> instances,
    IReadOnlyDictionary<string, string> consumerNames,
    string? self = null,
    string? source = null,
    string? target = null,
    SecretCache? secrets = null) : IFunctionContext
{
    private readonly Dictionary<string, NodeInstance> _instances = instances.ToDictionary(i => i.Id, StringComparer.Ordinal);

    public JsonObject Inputs => deployment.Inputs;

    public SystemValues System =>
        new(deployment.TenantName, deployment.Id, deployment.DisplayName, deployment.BlueprintId, deployment.CreatedBy);

    private DeploymentLabelSet? _labels;

    public DeploymentLabelSet Labels =>
        _labels ??= new(deployment.Id, [.. deployment.Labels.Select(l => KeyValuePair.Create(l.Key, l.Value))], consumerNames);

    public string? SelfInstanceId => self;

    public string? SourceInstanceId => source;

    public string? TargetInstanceId => target;

    public JsonObject? GetNode(string nodeName)
    {
        var node = nodes.FirstOrDefault(n => n.Id == nodeName);
        return node is null
            ? null
            : new JsonObject
            {
                ["id"] = node.Id,
                ["name"] = node.Id,
                ["type"] = node.Type,
                ["type_hierarchy"] = new JsonArray([.. node.TypeHierarchy.Select(t => JsonValue.Create(t))]),
                ["properties"] = node.Properties.DeepClone(),
                ["relationships"] = node.Relationships.DeepClone(),
                ["host_id"] = node.HostId,
            };
    }

    public JsonObject? GetRuntimeProperties(string nodeInstanceId) => _instances.GetValueOrDefault(nodeInstanceId)?.RuntimeProperties;

    public IReadOnlyList<string> GetNodeInstanceIds(string nodeName) =>
        [.. instances.Where(i => i.NodeId == nodeName).OrderBy(i => i.Index).Select(i => i.Id)];

    public string GetNodeName(string nodeInstanceId) =>
        _instances.TryGetValue(nodeInstanceId, out var instance) ? instance.NodeId : nodeInstanceId;

    /// <summary>Targets of the instance's relationships and the instances whose relationships target it.</summary>
    public IReadOnlyCollection<string> GetRelatedInstanceIds(string nodeInstanceId)
    {
        var related = new HashSet<string>(StringComparer.Ordinal);
        if (_instances.TryGetValue(nodeInstanceId, out var instance))
        {
            related.UnionWith(TargetIds(instance));
        }

        related.UnionWith(instances.Where(i => TargetIds(i).Contains(nodeInstanceId)).Select(i => i.Id));
        return related;
    }

    private static IEnumerable<string> TargetIds(NodeInstance instance) =>
        instance.Relationships.OfType<JsonObject>().Select(r => r["target_id"]?.GetValue<string>()).OfType<string>();

    /// <summary>From <paramref name="secrets"/> (the caller's, loaded per evaluation); without it get_secret stays as written.</summary>
    public string? GetSecret(string key) => secrets?.Get(key);

    public ValueTask<bool> LoadPendingAsync(CancellationToken cancellationToken) =>
        secrets?.LoadPendingAsync(cancellationToken) ?? ValueTask.FromResult(false);
}
