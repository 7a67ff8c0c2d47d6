using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary>Manager-wide calls: version, status and the unauthenticated <c>/ok</c> probe.</summary>
public sealed class ManagerClient
{
    private readonly RestTransport _transport;
    private readonly HttpClient _http;

    internal ManagerClient(RestTransport transport, HttpClient http)
    {
        _transport = transport;
        _http = http;
    }

    public Task<VersionInfo> GetVersionAsync(CancellationToken cancellationToken = default) =>
        _transport.SendAsync<VersionInfo>(HttpMethod.Get, _transport.Url("/version"), null, cancellationToken);

    public Task<ManagerStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        _transport.SendAsync<ManagerStatus>(HttpMethod.Get, _transport.Url("/status"), null, cancellationToken);

    /// <summary>True when <c>GET /ok</c> answers 200; false on any other answer or when nothing listens.</summary>
    public async Task<bool> IsOkAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.GetAsync(_transport.Url("/ok"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
