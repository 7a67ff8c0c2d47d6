namespace Stratus.Core.Model;

/// <summary>
/// One label of a blueprint or deployment, as Cloudify renders it (<c>key</c>, <c>value</c>, <c>created_at</c>,
/// <c>created_by</c>). A key may carry several values; a key/value pair appears once per resource.
/// </summary>
public sealed record ResourceLabel(string Key, string Value, DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>Names the deployment's parent (environment); the manager keeps the parent graph from it.</summary>
    public const string ParentKey = "csys-obj-parent";

    /// <summary>Set by the manager on a parent for each deployment that names it as <see cref="ParentKey"/>.</summary>
    public const string ConsumerKey = "csys-consumer-id";

    public bool SameAs(ResourceLabel other) =>
        other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal) && string.Equals(Value, other.Value, StringComparison.Ordinal);
}
