using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Contracts.Tasks;

public sealed record CloudifyTask
{
    /// <summary>Operation inputs plus <c>__cloudify_context</c> (see <see cref="TaskContext"/>).</summary>
    [JsonPropertyName("kwargs")]
    public required JsonObject Kwargs { get; init; }
}
