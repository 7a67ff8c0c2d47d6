using System.Text.Json.Nodes;

namespace Stratus.Storage;

/// <summary>The fields a PATCH of a node instance may set; null means "leave as is".</summary>
public sealed record NodeInstanceUpdate
{
    public string? State { get; init; }

    public JsonObject? RuntimeProperties { get; init; }

    public JsonObject? SystemProperties { get; init; }
}
