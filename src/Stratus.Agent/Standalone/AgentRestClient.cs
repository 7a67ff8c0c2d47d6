using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Stratus.Agent.Manager;

namespace Stratus.Agent.Standalone;

/// <summary>
/// A standalone agent's calls with its own credentials (not an execution's token): an agent token as
/// <c>Authentication-Token</c>, else Basic, in the credentials' tenant. Each call fails over between the configured
/// managers. The credentials go only into request headers, which the agent's HTTP client redacts from its logs.
/// </summary>
internal sealed class AgentRestClient(IHttpClientFactory httpClients, ManagerFailover failover, IOptions<AgentOptions> options, AgentCredentials credentials)
{
    /// <summary>
    /// Sends <paramref name="method"/> <c>/&lt;relative&gt;</c> (under the manager's root) and returns its JSON object,
    /// null when the answer is not one; throws <see cref="ManagerApiException"/> when refused or unreachable.
    /// </summary>
    public async Task<JsonObject?> SendAsync(HttpMethod method, string relative, JsonObject? body, CancellationToken cancellationToken = default)
    {
        var http = httpClients.CreateClient(HttpManagerApiFactory.HttpClientName);
        using var response = await failover.SendAsync(
            http,
            [.. options.Value.ManagerUrls],
            root =>
            {
                var request = new HttpRequestMessage(method, new Uri(root, relative));
                if (!string.IsNullOrEmpty(credentials.Token))
                {
                    request.Headers.TryAddWithoutValidation("Authentication-Token", credentials.Token);
                }
                else
                {
                    var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
                }

                request.Headers.TryAddWithoutValidation(HttpManagerApi.TenantHeader, credentials.Tenant);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }

                return request;
            },
            cancellationToken);
        var path = relative.Split('?')[0];
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            string? code = null, message = null;
            try
            {
                if (JsonNode.Parse(text) is JsonObject error)
                {
                    code = JsonRead.String(error["error_code"]);
                    message = JsonRead.String(error["message"]);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not Cloudify's error shape; the status says enough.
            }

            throw new ManagerApiException(
                response.StatusCode, code, $"{method} /{path} failed with {(int)response.StatusCode}: {message ?? text[..Math.Min(text.Length, 300)]}");
        }

        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
