using System.Text.Json.Nodes;

namespace Stratus.Dsl.Functions;

/// <summary>
/// A context that also answers <c>get_capability</c> from capabilities loaded so far, noting the ones asked for and not
/// yet loaded; <see cref="IntrinsicFunctions.EvaluateAsync"/> loads those and evaluates again.
/// </summary>
internal sealed class CapabilityContext(IFunctionContext inner) : IFunctionContext
{
    private readonly Dictionary<(string Deployment, string Capability), JsonNode?> _known = [];

    private readonly Dictionary<string, IReadOnlyList<GroupDeployment>> _groups = new(StringComparer.Ordinal);

    public HashSet<(string Deployment, string Capability)> Pending { get; } = [];

    public HashSet<string> PendingGroups { get; } = new(StringComparer.Ordinal);

    public JsonObject Inputs => inner.Inputs;

    public string? SelfInstanceId => inner.SelfInstanceId;

    public string? SourceInstanceId => inner.SourceInstanceId;

    public string? TargetInstanceId => inner.TargetInstanceId;

    public SystemValues? System => inner.System;

    public DeploymentLabelSet? Labels => inner.Labels;

    public JsonObject? GetNode(string nodeName) => inner.GetNode(nodeName);

    public JsonObject? GetRuntimeProperties(string nodeInstanceId) => inner.GetRuntimeProperties(nodeInstanceId);

    public IReadOnlyList<string> GetNodeInstanceIds(string nodeName) => inner.GetNodeInstanceIds(nodeName);

    public string? GetSecret(string key) => inner.GetSecret(key);

    public ValueTask<bool> LoadPendingAsync(CancellationToken cancellationToken) => inner.LoadPendingAsync(cancellationToken);

    public IReadOnlyCollection<string> GetRelatedInstanceIds(string nodeInstanceId) => inner.GetRelatedInstanceIds(nodeInstanceId);

    public string GetNodeName(string nodeInstanceId) => inner.GetNodeName(nodeInstanceId);

    public bool TryGetCapability(string deploymentId, string capability, out JsonNode? value)
    {
        if (_known.TryGetValue((deploymentId, capability), out value))
        {
            return true;
        }

        Pending.Add((deploymentId, capability));
        return false;
    }

    public void Provide(string deploymentId, string capability, JsonNode? value) => _known[(deploymentId, capability)] = value;

    public bool TryGetGroupDeployments(string groupId, out IReadOnlyList<GroupDeployment>? deployments)
    {
        if (_groups.TryGetValue(groupId, out var known))
        {
            deployments = known;
            return true;
        }

        PendingGroups.Add(groupId);
        deployments = null;
        return false;
    }

    public void ProvideGroup(string groupId, IReadOnlyList<GroupDeployment> deployments) => _groups[groupId] = deployments;
}
