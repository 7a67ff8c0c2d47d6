using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/blueprints</c>: upload (multipart, like cloudify_rest_client), list, get, delete, validate, archive.</summary>
public sealed class BlueprintsClient
{
    private readonly RestTransport _transport;

    internal BlueprintsClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<Blueprint>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder();
        options?.AppendTo(query);
        return _transport.SendAsync<ListResponse<Blueprint>>(HttpMethod.Get, _transport.Url("/blueprints", query), null, cancellationToken);
    }

    public Task<Blueprint> GetAsync(string blueprintId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Blueprint>(HttpMethod.Get, _transport.Url($"/blueprints/{Esc(blueprintId)}"), null, cancellationToken);

    /// <summary>Uploads and waits for parsing; an invalid blueprint raises <c>invalid_blueprint_error</c> (400).</summary>
    public async Task<Blueprint> UploadAsync(
        string blueprintId, string path, string? applicationFileName = null, CancellationToken cancellationToken = default)
    {
        var archive = await BlueprintArchive.FromPathAsync(path, applicationFileName, cancellationToken);
        return await UploadAsync(blueprintId, archive, cancellationToken);
    }

    public Task<Blueprint> UploadAsync(string blueprintId, BlueprintArchive archive, CancellationToken cancellationToken = default) =>
        UploadAsync(blueprintId, archive, [], cancellationToken);

    /// <summary>Uploads with labels, which replace the blueprint's own <c>blueprint_labels</c> (as in Cloudify).</summary>
    public Task<Blueprint> UploadAsync(
        string blueprintId, BlueprintArchive archive, IReadOnlyList<KeyValuePair<string, string>> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(labels);
        return _transport.SendAsync<Blueprint>(
            HttpMethod.Put, _transport.Url($"/blueprints/{Esc(blueprintId)}"), Multipart(archive, labels), cancellationToken);
    }

    /// <summary>Replaces the blueprint's labels (<c>PATCH /blueprints/{id}</c>, as <c>cfy blueprints labels</c> sends them).</summary>
    public Task<Blueprint> UpdateLabelsAsync(
        string blueprintId, IReadOnlyList<KeyValuePair<string, string>> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var body = new JsonObject { ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)new JsonObject { [l.Key] = l.Value })]) };
        return _transport.SendAsync<Blueprint>(
            HttpMethod.Patch, _transport.Url($"/blueprints/{Esc(blueprintId)}"), JsonBody.From(body), cancellationToken);
    }

    /// <summary>Asks the manager to parse without storing (<c>PUT /blueprints/{id}/validate</c>).</summary>
    public async Task ValidateAsync(
        string blueprintId, string path, string? applicationFileName = null, CancellationToken cancellationToken = default)
    {
        var archive = await BlueprintArchive.FromPathAsync(path, applicationFileName, cancellationToken);
        await _transport.SendAsync(
            HttpMethod.Put, _transport.Url($"/blueprints/{Esc(blueprintId)}/validate"), Multipart(archive, []), cancellationToken);
    }

    public Task DeleteAsync(string blueprintId, bool force = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(
            HttpMethod.Delete,
            _transport.Url($"/blueprints/{Esc(blueprintId)}", new QueryBuilder().AddIf(force, "force", "true")),
            null,
            cancellationToken);

    /// <summary>Copies the stored archive (<c>GET /blueprints/{id}/archive</c>) into <paramref name="destination"/>.</summary>
    public async Task DownloadArchiveAsync(string blueprintId, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await _transport.SendRawAsync(
            HttpMethod.Get,
            _transport.Url($"/blueprints/{Esc(blueprintId)}/archive"),
            null,
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken);
        await response.Content.CopyToAsync(destination, cancellationToken);
    }

    private static MultipartFormDataContent Multipart(BlueprintArchive archive, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        var parameters = new JsonObject
        {
            ["visibility"] = "tenant",
            ["async_upload"] = false,
            ["skip_execution"] = false,
        };
        if (archive.ApplicationFileName is { } main)
        {
            parameters["application_file_name"] = Uri.EscapeDataString(main);
        }

        if (labels.Count > 0)
        {
            // cloudify_rest_client's upload form: [{key, value}], unlike the one-entry objects of deployments.
            parameters["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)new JsonObject { ["key"] = l.Key, ["value"] = l.Value })]);
        }

        var form = new MultipartFormDataContent();
        form.Add(new StringContent(parameters.ToJsonString()), "params");
        var file = new ByteArrayContent(archive.Content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "blueprint_archive", "filename");
        return form;
    }

    private static string Esc(string id) => Uri.EscapeDataString(id);
}
