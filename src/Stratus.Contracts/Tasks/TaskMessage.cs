using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Contracts.Tasks;

/// <summary>
/// An operation or workflow task as Cloudify sends it: <c>{"id", "cloudify_task": {"kwargs": {..., "__cloudify_context": {...}}}}</c>.
/// </summary>
public sealed record TaskMessage
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("cloudify_task")]
    public required CloudifyTask CloudifyTask { get; init; }
}
