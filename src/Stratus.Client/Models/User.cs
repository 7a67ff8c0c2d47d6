using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A manager user; <see cref="Tenants"/> and <see cref="Groups"/> are counts, or maps/lists with <c>_get_data</c>.</summary>
public sealed record User
{
    [JsonPropertyName("username")]
    public string Username { get; init; } = "";

    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("active")]
    public bool Active { get; init; }

    [JsonPropertyName("is_locked")]
    public bool IsLocked { get; init; }

    [JsonPropertyName("tenants")]
    public JsonNode? Tenants { get; init; }

    [JsonPropertyName("groups")]
    public JsonNode? Groups { get; init; }

    [JsonPropertyName("group_system_roles")]
    public JsonNode? GroupSystemRoles { get; init; }

    [JsonPropertyName("tenant_roles")]
    public JsonNode? TenantRoles { get; init; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("last_login_at")]
    public DateTimeOffset? LastLoginAt { get; init; }

    [JsonPropertyName("first_login_at")]
    public DateTimeOffset? FirstLoginAt { get; init; }
}
