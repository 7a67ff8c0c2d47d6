using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A tenant; <see cref="Users"/> and <see cref="Groups"/> are counts, or maps with <c>_get_data</c>.</summary>
public sealed record Tenant
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("users")]
    public JsonNode? Users { get; init; }

    [JsonPropertyName("groups")]
    public JsonNode? Groups { get; init; }

    [JsonPropertyName("user_roles")]
    public JsonNode? UserRoles { get; init; }
}
