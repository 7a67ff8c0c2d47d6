using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

/// <summary>Stands in for a manager: answers by "METHOD /path" and records every request it saw.</summary>
internal sealed class FakeManager : HttpMessageHandler
{
    private readonly Dictionary<string, Queue<Func<HttpRequestMessage, HttpResponseMessage>>> _routes = [];

    public List<RecordedRequest> Requests { get; } = [];

    /// <summary>Queues answers for a route; the last one repeats once the queue is down to it.</summary>
    public FakeManager On(string methodAndPath, params Func<HttpRequestMessage, HttpResponseMessage>[] answers)
    {
        _routes[methodAndPath] = new Queue<Func<HttpRequestMessage, HttpResponseMessage>>(answers);
        return this;
    }

    public FakeManager OnJson(string methodAndPath, params JsonNode[] bodies) =>
        On(methodAndPath, [.. bodies.Select(b => (Func<HttpRequestMessage, HttpResponseMessage>)(_ => Json(HttpStatusCode.OK, b)))]);

    public static HttpResponseMessage Json(HttpStatusCode status, JsonNode body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    public static JsonObject List(params JsonNode[] items) => new()
    {
        ["items"] = new JsonArray([.. items.Select(i => i.DeepClone())]),
        ["metadata"] = new JsonObject
        {
            ["pagination"] = new JsonObject { ["total"] = items.Length, ["size"] = 1000, ["offset"] = 0 },
            ["filtered"] = null,
        },
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        HandleAsync(request, cancellationToken);

    public async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, request.Headers.ToString(), request.Content?.Headers.ContentType?.ToString(), body));
        }

        var key = $"{request.Method} {request.RequestUri!.AbsolutePath}";
        if (!_routes.TryGetValue(key, out var answers))
        {
            return Json(HttpStatusCode.NotFound, new JsonObject
            {
                ["message"] = $"fake manager has no route {key}",
                ["error_code"] = "not_found_error",
                ["server_traceback"] = null,
            });
        }

        var answer = answers.Count > 1 ? answers.Dequeue() : answers.Peek();
        return answer(request);
    }
}
