using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Stratus.Server.Tests.Support;

internal static class Http
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static Task<(HttpStatusCode Status, JsonNode? Body)> GetJsonAsync(this HttpClient client, string path) =>
        client.SendAsync(HttpMethod.Get, path);

    public static void AssertError(this (HttpStatusCode Status, JsonNode? Body) response, HttpStatusCode status, string errorCode)
    {
        Assert.True(
            response.Status == status && response.Body?["error_code"]?.GetValue<string>() == errorCode,
            $"expected {(int)status} {errorCode}, got {(int)response.Status} {response.Body?.ToJsonString()}");
        Assert.Equal(["error_code", "message", "server_traceback"], response.Body!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    public static JsonContent Json(JsonNode node) => JsonContent.Create(node);
}
