using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Client;

/// <summary>Sends one request to <c>/api/v3.1</c> with the caller's credentials and turns error bodies into <see cref="StratusApiException"/>.</summary>
internal sealed class RestTransport
{
    private const string ApiPrefix = "/api/v3.1";
    private readonly HttpClient _http;
    private readonly StratusClientOptions _options;
    private readonly AuthenticationHeaderValue? _authorization;

    public RestTransport(HttpClient http, StratusClientOptions options)
    {
        _http = http;
        _options = options;
        if (options.Password is not null)
        {
            var raw = Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}");
            _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(raw));
        }
    }

    public Uri Url(string path, QueryBuilder? query = null, bool versioned = true)
    {
        var root = _options.BaseAddress.GetLeftPart(UriPartial.Authority) + _options.BaseAddress.AbsolutePath.TrimEnd('/');
        return new Uri(root + (versioned ? ApiPrefix : "/api") + path + (query?.ToString() ?? ""));
    }

    public async Task<T> SendAsync<T>(
        HttpMethod method, Uri url, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, url, content, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var value = await JsonSerializer.DeserializeAsync<T>(body, ClientJson.Options, cancellationToken);
        return value ?? throw new StratusApiException(
            response.StatusCode, "invalid_response", $"{method} {url.AbsolutePath} answered an empty body");
    }

    public async Task SendAsync(HttpMethod method, Uri url, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, url, content, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    /// <summary>Sends and checks the status; the caller owns (and disposes) the successful response.</summary>
    public async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method, Uri url, HttpContent? content, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Authorization = _authorization;
        request.Headers.TryAddWithoutValidation("Tenant", _options.Tenant);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await _http.SendAsync(request, completion, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw ToException(response.StatusCode, text);
        }
    }

    internal static StratusApiException ToException(HttpStatusCode status, string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject error)
            {
                var message = (error["message"] ?? error["detail"])?.ToString();
                var code = error["error_code"]?.ToString();
                if (message is not null || code is not null)
                {
                    return new StratusApiException(
                        status, code ?? DefaultCode(status), message ?? $"HTTP {(int)status}", error["server_traceback"]?.ToString());
                }
            }
        }
        catch (JsonException)
        {
            // Not Cloudify's error shape (a proxy page, say): fall through to the raw text.
        }

        var snippet = body.Length > 300 ? body[..300] + "..." : body;
        return new StratusApiException(status, DefaultCode(status), $"HTTP {(int)status} {status}: {snippet}".TrimEnd(' ', ':'));
    }

    private static string DefaultCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => "not_found_error",
        HttpStatusCode.Unauthorized => "unauthorized_error",
        HttpStatusCode.Forbidden => "forbidden_error",
        HttpStatusCode.Conflict => "conflict_error",
        HttpStatusCode.BadRequest => "bad_parameters_error",
        _ => "internal_server_error",
    };
}
