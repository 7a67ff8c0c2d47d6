using System.IO.Compression;
using System.Net.Http.Headers;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/plugins</c>: upload (a wagon, or a zip of the wagon and its yaml files as cfy sends), list, get, delete, download.</summary>
public sealed class PluginsClient
{
    private readonly RestTransport _transport;

    internal PluginsClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<Plugin>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder();
        options?.AppendTo(query);
        return _transport.SendAsync<ListResponse<Plugin>>(HttpMethod.Get, _transport.Url("/plugins", query), null, cancellationToken);
    }

    public Task<Plugin> GetAsync(string pluginId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Plugin>(HttpMethod.Get, _transport.Url($"/plugins/{Esc(pluginId)}"), null, cancellationToken);

    /// <summary>
    /// Uploads <paramref name="wagonPath"/>; with yaml files, zipped flat together with them (what <c>cfy plugins upload
    /// -y</c> sends), else the wagon alone.
    /// </summary>
    public async Task<Plugin> UploadAsync(
        string wagonPath,
        IReadOnlyList<string> yamlPaths,
        string? title = null,
        string visibility = "tenant",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yamlPaths);
        var body = yamlPaths.Count == 0
            ? await File.ReadAllBytesAsync(wagonPath, cancellationToken)
            : Zip([wagonPath, .. yamlPaths], cancellationToken);
        var query = new QueryBuilder().Add("visibility", visibility);
        if (title is not null)
        {
            query.Add("title", title);
        }

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await _transport.SendAsync<Plugin>(HttpMethod.Post, _transport.Url("/plugins", query), content, cancellationToken);
    }

    public Task DeleteAsync(string pluginId, bool force = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(
            HttpMethod.Delete,
            _transport.Url($"/plugins/{Esc(pluginId)}"),
            JsonBody.From(new System.Text.Json.Nodes.JsonObject { ["force"] = force }),
            cancellationToken);

    /// <summary>Copies the wagon (or, with <paramref name="fullArchive"/>, a zip of the wagon and yaml files) into <paramref name="destination"/>.</summary>
    public async Task DownloadAsync(string pluginId, Stream destination, bool fullArchive = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await _transport.SendRawAsync(
            HttpMethod.Get,
            _transport.Url($"/plugins/{Esc(pluginId)}/archive", new QueryBuilder().AddIf(fullArchive, "full_archive", "true")),
            null,
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken);
        await response.Content.CopyToAsync(destination, cancellationToken);
    }

    private static byte[] Zip(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var path in paths)
            {
                cancellationToken.ThrowIfCancellationRequested();
                zip.CreateEntryFromFile(path, Path.GetFileName(path), CompressionLevel.Fastest);
            }
        }

        return buffer.ToArray();
    }

    private static string Esc(string id) => Uri.EscapeDataString(id);
}
