using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A user group with its system role; <see cref="Tenants"/> and <see cref="Users"/> are counts, or a map and a list with <c>_get_data</c>.</summary>
public sealed record UserGroup
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("ldap_dn")]
    public string? LdapDn { get; init; }

    [JsonPropertyName("tenants")]
    public JsonNode? Tenants { get; init; }

    [JsonPropertyName("users")]
    public JsonNode? Users { get; init; }
}
