using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>What runtime function evaluation (get_attribute, get_property on other nodes) reads from the model.</summary>
public interface IFunctionContext
{
    /// <summary>The deployment's resolved inputs.</summary>
    JsonObject Inputs { get; }

    /// <summary>A plan node object by node name, or null.</summary>
    JsonObject? GetNode(string nodeName);

    /// <summary>Runtime properties of a node instance, or null if unknown.</summary>
    JsonObject? GetRuntimeProperties(string nodeInstanceId);

    /// <summary>The instance ids of a node, in order.</summary>
    IReadOnlyList<string> GetNodeInstanceIds(string nodeName);

    /// <summary>SELF / SOURCE / TARGET instance ids for the operation being evaluated (null outside one).</summary>
    string? SelfInstanceId { get; }

    string? SourceInstanceId { get; }

    string? TargetInstanceId { get; }

    /// <summary>Resolves <c>get_secret</c>; null when secrets are not available (or, see <see cref="LoadPendingAsync"/>, not loaded yet).</summary>
    string? GetSecret(string key);

    /// <summary>
    /// Loads what the last evaluation asked for that this context could only note (secrets read from a store, see
    /// <see cref="SecretCache"/>); true when something was loaded, so <see cref="IntrinsicFunctions.EvaluateAsync"/>
    /// evaluates again. By default there is nothing to load.
    /// </summary>
    ValueTask<bool> LoadPendingAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>
    /// Instance ids the given instance has relationships with (either direction). get_attribute on a node with several
    /// instances picks the one related to the current instance; without this (the default) it reports the ambiguity.
    /// </summary>
    IReadOnlyCollection<string> GetRelatedInstanceIds(string nodeInstanceId) => [];

    /// <summary>
    /// The deployment's system values for <c>get_sys</c> (Cloudify's pairs: tenant/name, deployment/id, name, blueprint,
    /// owner); null when this context has no deployment, which leaves the function as written.
    /// </summary>
    SystemValues? System => null;

    /// <summary>
    /// The deployment's labels for <c>get_label</c>, <c>get_consumers</c> and <c>get_environment_capability</c>; null
    /// (the default) leaves those functions as written.
    /// </summary>
    DeploymentLabelSet? Labels => null;

    /// <summary>
    /// Another deployment's capability for <c>get_capability</c>; false (the default) leaves the function as written.
    /// <see cref="IntrinsicFunctions.EvaluateAsync"/> answers it through an <see cref="ICapabilitySource"/>.
    /// </summary>
    bool TryGetCapability(string deploymentId, string capability, out JsonNode? value)
    {
        value = null;
        return false;
    }

    /// <summary>
    /// The deployments of a group for <c>get_group_capability</c>; false (the default) leaves the function as written.
    /// <see cref="IntrinsicFunctions.EvaluateAsync"/> answers it through an <see cref="ICapabilitySource"/>.
    /// </summary>
    bool TryGetGroupDeployments(string groupId, out IReadOnlyList<GroupDeployment>? deployments)
    {
        deployments = null;
        return false;
    }

    /// <summary>The node a node instance belongs to; by default read from Cloudify's <c>&lt;node&gt;_&lt;6 chars&gt;</c> id.</summary>
    string GetNodeName(string nodeInstanceId)
    {
        ArgumentNullException.ThrowIfNull(nodeInstanceId);
        var cut = nodeInstanceId.LastIndexOf('_');
        return cut > 0 ? nodeInstanceId[..cut] : nodeInstanceId;
    }
}

/// <summary>What <c>get_sys</c> answers for one deployment.</summary>
public sealed record SystemValues(string TenantName, string DeploymentId, string DeploymentName, string BlueprintId, string Owner)
{
    /// <summary>The value of an entity/property pair, or null when Cloudify knows no such pair.</summary>
    public string? Get(string entity, string property) => (entity, property) switch
    {
        ("tenant", "name") => TenantName,
        ("deployment", "id") => DeploymentId,
        ("deployment", "name") => DeploymentName,
        ("deployment", "blueprint") => BlueprintId,
        ("deployment", "owner") => Owner,
        _ => null,
    };
}
