using System.Text.Json.Nodes;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/secrets</c>: create (PUT), get, list, update (PATCH), delete, set-visibility, with cloudify_rest_client's bodies.</summary>
public sealed class SecretsClient
{
    private readonly RestTransport _transport;

    internal SecretsClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<Secret>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder();
        options?.AppendTo(query);
        return _transport.SendAsync<ListResponse<Secret>>(HttpMethod.Get, _transport.Url("/secrets", query), null, cancellationToken);
    }

    public Task<Secret> GetAsync(string key, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Secret>(HttpMethod.Get, _transport.Url($"/secrets/{Esc(key)}"), null, cancellationToken);

    /// <summary><paramref name="value"/> is text, or, with a <paramref name="schema"/>, the JSON it describes.</summary>
    public Task<Secret> CreateAsync(
        string key,
        JsonNode value,
        bool updateIfExists = false,
        bool isHiddenValue = false,
        string visibility = "tenant",
        JsonObject? schema = null,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["value"] = value?.DeepClone(),
            ["update_if_exists"] = updateIfExists,
            ["is_hidden_value"] = isHiddenValue,
            ["visibility"] = visibility,
        };
        if (schema is not null)
        {
            body["schema"] = schema.DeepClone();
        }

        return _transport.SendAsync<Secret>(HttpMethod.Put, _transport.Url($"/secrets/{Esc(key)}"), JsonBody.From(body), cancellationToken);
    }

    /// <summary>Sends only what is given (null leaves the field as it is).</summary>
    public Task<Secret> UpdateAsync(
        string key,
        JsonNode? value = null,
        string? visibility = null,
        bool? isHiddenValue = null,
        string? creator = null,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        if (value is not null)
        {
            body["value"] = value.DeepClone();
        }

        if (visibility is not null)
        {
            body["visibility"] = visibility;
        }

        if (isHiddenValue is { } hidden)
        {
            body["is_hidden_value"] = hidden;
        }

        if (creator is not null)
        {
            body["creator"] = creator;
        }

        return _transport.SendAsync<Secret>(HttpMethod.Patch, _transport.Url($"/secrets/{Esc(key)}"), JsonBody.From(body), cancellationToken);
    }

    public Task<Secret> SetVisibilityAsync(string key, string visibility, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Secret>(
            HttpMethod.Patch,
            _transport.Url($"/secrets/{Esc(key)}/set-visibility"),
            JsonBody.From(new JsonObject { ["visibility"] = visibility }),
            cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, _transport.Url($"/secrets/{Esc(key)}"), null, cancellationToken);

    private static string Esc(string key) => Uri.EscapeDataString(key);
}
