using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;

namespace Stratus.Server.Agents;

/// <summary>
/// The calls the manager makes on RabbitMQ's management HTTP API (as Cloudify's REST service does through its
/// <c>RabbitMQClient</c>): create or delete a user, set its permissions on a vhost, list users. A refusal or an
/// unreachable API is a 500 <c>internal_server_error</c> naming the call and RabbitMQ's reason, never the password.
/// </summary>
internal sealed class BrokerManagementApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _describe;

    public BrokerManagementApi(Uri url, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var (username, password) = Credentials(url);
        var root = new UriBuilder(url) { UserName = "", Password = "", Path = "/", Query = "", Fragment = "" }.Uri;
        _describe = root.GetLeftPart(UriPartial.Authority);
        Username = username;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = root;
        _http.Timeout = TimeSpan.FromSeconds(30);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
    }

    /// <summary>The API's scheme, host and port, without the credentials: what messages may name.</summary>
    public string Address => _describe;

    /// <summary>The user the manager calls the API as.</summary>
    public string Username { get; }

    /// <summary>The user name and password in the URL's user info, percent-decoded; an error without them when missing.</summary>
    public static (string Username, string Password) Credentials(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var info = url.UserInfo;
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new ArgumentException("the broker management URL must carry credentials: http://user:password@host:port");
        }

        return (Uri.UnescapeDataString(info[..colon]), Uri.UnescapeDataString(info[(colon + 1)..]));
    }

    /// <summary>Creates the user or sets its password when it exists (PUT is idempotent); no management tags.</summary>
    public Task PutUserAsync(string username, string password, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"api/users/{Segment(username)}", new JsonObject { ["password"] = password, ["tags"] = "" }, false, cancellationToken);

    /// <summary>Replaces the user's permissions on the vhost: three regular expressions over resource names.</summary>
    public Task SetPermissionsAsync(
        string vhost, string username, (string Configure, string Write, string Read) permissions, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Put,
            $"api/permissions/{Segment(vhost)}/{Segment(username)}",
            new JsonObject { ["configure"] = permissions.Configure, ["write"] = permissions.Write, ["read"] = permissions.Read },
            false,
            cancellationToken);

    /// <summary>Deletes the user (its connections are closed by RabbitMQ); a user already gone is not an error.</summary>
    public Task DeleteUserAsync(string username, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/users/{Segment(username)}", null, true, cancellationToken);

    /// <summary>The names of every RabbitMQ user.</summary>
    public async Task<IReadOnlyList<string>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        using var response = await CallAsync(HttpMethod.Get, "api/users", null, cancellationToken);
        await EnsureSuccessAsync(response, HttpMethod.Get, "api/users", false, cancellationToken);
        var users = await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken) ?? [];
        return [.. users.Select(u => u?["name"]?.GetValue<string>()).OfType<string>()];
    }

    /// <summary>
    /// A GET as RabbitMQ answers it, for checks that tell its refusals apart: the status and the JSON body (null when
    /// the body is not JSON). A transport failure propagates as it is (<see cref="HttpRequestException"/>, or a
    /// cancellation when <paramref name="cancellationToken"/> or the client's own timeout fires).
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> ProbeAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
        catch (System.Text.Json.JsonException)
        {
            return (response.StatusCode, null);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task SendAsync(HttpMethod method, string path, JsonObject? body, bool missingIsFine, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(method, path, body, cancellationToken);
        await EnsureSuccessAsync(response, method, path, missingIsFine, cancellationToken);
    }

    private async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new StratusException($"The RabbitMQ management API at {_describe} could not be reached for {method} /{Unescaped(path)}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StratusException($"The RabbitMQ management API at {_describe} did not answer {method} /{Unescaped(path)} within {_http.Timeout.TotalSeconds} s", e);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, HttpMethod method, string path, bool missingIsFine, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode || (missingIsFine && response.StatusCode == HttpStatusCode.NotFound))
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string reason;
        try
        {
            reason = JsonNode.Parse(text)?["reason"]?.GetValue<string>() ?? text;
        }
        catch (System.Text.Json.JsonException)
        {
            reason = text;
        }

        reason = reason.Length > 300 ? reason[..300] : reason;
        throw new StratusException(
            $"The RabbitMQ management API at {_describe} refused {method} /{Unescaped(path)}: {(int)response.StatusCode} {response.ReasonPhrase} ({reason})");
    }

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static string Unescaped(string path) => Uri.UnescapeDataString(path);
}
