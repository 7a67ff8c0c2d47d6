using System.Net;
using System.Net.Sockets;
using Stratus.Core.Errors;
using Stratus.Server.Http;

namespace Stratus.Server.Uploads;

/// <summary>
/// Downloads an archive named by an upload URL (<c>blueprint_archive_url</c>, <c>plugin_archive_url</c>) into a
/// temporary file. Every connection, the first and each redirect's, is made by <see cref="ConnectAsync"/>: the host is
/// resolved, only addresses <see cref="UploadUrlPolicy"/> allows are dialled and the connected peer is checked again,
/// so a name that resolves differently between check and use (DNS rebinding) cannot reach a refused address. No proxy
/// is used (it would be the one connected to); size and time are bounded.
/// </summary>
internal sealed class RemoteArchiveFetcher : IDisposable
{
    private const int MaxRedirects = 5;

    private readonly UploadUrlPolicy _policy;
    private readonly TimeSpan _timeout;
    private readonly HttpClient _client;
    private readonly string _downloads;

    public RemoteArchiveFetcher(UploadUrlPolicy policy, ManagerOptions options, Files.ResourceLayout layout)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(layout);
        _policy = policy;
        _downloads = layout.Downloads();
        _timeout = options.UploadUrlTimeout;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = MaxRedirects,
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            AutomaticDecompression = DecompressionMethods.None,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The archive at <paramref name="url"/> as a stream over a temporary file (deleted when the stream is closed).</summary>
    public async Task<Stream> DownloadAsync(string url, string argument, long maxBytes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw StratusException.BadParameters($"{argument} must be an http or https URL, got `{Shown(url)}`");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        Directory.CreateDirectory(_downloads);
        var path = Path.Combine(_downloads, Guid.NewGuid().ToString("N"));
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using var response = await _client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw Failed(argument, uri, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                throw RequestJson.TooLarge(maxBytes);
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            await UploadBody.CopyAsync(body, file, maxBytes, timeout.Token);
            file.Position = 0;
            return file;
        }
        catch (Exception e) when (e is not StratusException)
        {
            await file.DisposeAsync();
            if (FindRefusal(e) is { } refused)
            {
                throw StratusException.BadParameters(
                    $"{argument} `{Shown(url)}` is refused: {refused.Message}. Uploads from such addresses need the manager's "
                    + "--allow-private-upload-urls or an --upload-url-allow network");
            }

            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw Failed(argument, uri, $"no complete answer within {_timeout.TotalSeconds:0.#} seconds");
            }

            throw e is HttpRequestException or IOException or SocketException ? Failed(argument, uri, e.Message) : e;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var permitted = addresses.Where(a => _policy.Refusal(a) is null).ToArray();
        if (permitted.Length == 0)
        {
            var first = addresses.FirstOrDefault() ?? throw new SocketException((int)SocketError.HostNotFound);
            throw new UploadUrlRefusedException($"`{host}` is {first} ({_policy.Refusal(first)} address)");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, cancellationToken);
            var peer = ((IPEndPoint)socket.RemoteEndPoint!).Address;
            if (_policy.Refusal(peer) is { } kind)
            {
                throw new UploadUrlRefusedException($"`{host}` connected to {peer} ({kind} address)");
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static UploadUrlRefusedException? FindRefusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is UploadUrlRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    private static StratusException Failed(string argument, Uri uri, string reason) =>
        StratusException.BadParameters($"The archive of {argument} `{Shown(uri.ToString())}` could not be downloaded: {reason}");

    /// <summary>A URL for messages and logs: without user information (it may carry a password).</summary>
    private static string Shown(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped)
            : url;
}
