using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

/// <summary>
/// A secret: a key in a tenant (or global) and its value, which is stored only as <see cref="Secrets.SecretCipher"/> text.
/// <see cref="EncryptedValue"/> never holds the clear value; only the REST service and the workflow engine decrypt it.
/// </summary>
public sealed record Secret
{
    public required string Key { get; init; }

    public required string TenantName { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The value as <see cref="Secrets.SecretCipher.Encrypt"/> wrote it.</summary>
    public required string EncryptedValue { get; init; }

    /// <summary>Cloudify's hidden value: readable only by its creator and the tenant's administrators.</summary>
    public bool IsHiddenValue { get; init; }

    /// <summary>A JSON schema the value obeys; the value is then JSON text (Cloudify's typed secrets).</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>Without the value, so a record printed by accident shows nothing secret.</summary>
    public override string ToString() =>
        $"Secret {{ Key = {Key}, TenantName = {TenantName}, Visibility = {Visibility}, CreatedBy = {CreatedBy}, IsHiddenValue = {IsHiddenValue} }}";
}
