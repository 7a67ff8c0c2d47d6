namespace Stratus.Dsl;

/// <summary>
/// What <c>get_label</c>, <c>get_consumers</c> and <c>get_environment_capability</c> read: one deployment's labels in
/// (created_at, value) order within each key, and the display names of the deployments its
/// <c>csys-consumer-id</c> labels name (those that still exist).
/// </summary>
public sealed class DeploymentLabelSet(
    string deploymentId, IReadOnlyList<KeyValuePair<string, string>> labels, IReadOnlyDictionary<string, string> consumerDisplayNames)
{
    public const string ParentKey = "csys-obj-parent";

    public const string ConsumerKey = "csys-consumer-id";

    public string DeploymentId => deploymentId;

    /// <summary>The distinct values of <paramref name="key"/>, in the order the labels were given.</summary>
    public IReadOnlyList<string> ValuesOf(string key) =>
        [.. labels.Where(l => string.Equals(l.Key, key, StringComparison.Ordinal)).Select(l => l.Value).Distinct(StringComparer.Ordinal)];

    public IReadOnlyList<string> ConsumerIds => ValuesOf(ConsumerKey);

    /// <summary>The display names of the consumers that exist, in <see cref="ConsumerIds"/> order.</summary>
    public IReadOnlyList<string> ConsumerNames =>
        [.. ConsumerIds.Select(id => consumerDisplayNames.TryGetValue(id, out var name) ? name : null).OfType<string>()];
}
