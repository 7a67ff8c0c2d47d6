using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Stratus.Bench;

/// <summary>The few REST calls the workloads make, over plain HttpClient (no Stratus code on the measuring side).</summary>
internal sealed class BenchApi : IDisposable
{
    private readonly HttpClient _http;

    public BenchApi(string url, string user, string password)
    {
        _http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/api/v3.1/"), Timeout = TimeSpan.FromMinutes(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        _http.DefaultRequestHeaders.Add("Tenant", "default_tenant");
    }

    public async Task UploadBlueprintAsync(string id, string folder, CancellationToken cancellationToken)
    {
        using var archive = new MemoryStream();
        await using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        {
            await using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
            foreach (var path in Directory.GetFiles(folder))
            {
                await tar.WriteEntryAsync(path, "bp/" + Path.GetFileName(path), cancellationToken);
            }
        }

        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("{\"application_file_name\": \"blueprint.yaml\", \"visibility\": \"tenant\"}"), "params");
        var file = new ByteArrayContent(archive.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "blueprint_archive", "blueprint.tar.gz");
        using var response = await _http.PutAsync(new Uri("blueprints/" + id, UriKind.Relative), form, cancellationToken);
        await EnsureAsync(response, "upload", cancellationToken);
    }

    public async Task CreateDeploymentAsync(string id, string blueprintId, CancellationToken cancellationToken)
    {
        using var body = Json(new JsonObject { ["blueprint_id"] = blueprintId, ["inputs"] = new JsonObject() });
        using var response = await _http.PutAsync(new Uri("deployments/" + id, UriKind.Relative), body, cancellationToken);
        await EnsureAsync(response, "deployment create", cancellationToken);
    }

    /// <summary>Runs a workflow to its end and returns the execution id.</summary>
    public async Task<string> RunWorkflowAsync(string deploymentId, string workflowId, CancellationToken cancellationToken)
    {
        using var body = Json(new JsonObject { ["deployment_id"] = deploymentId, ["workflow_id"] = workflowId });
        using var response = await _http.PostAsync(new Uri("executions", UriKind.Relative), body, cancellationToken);
        await EnsureAsync(response, workflowId, cancellationToken);
        var execution = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        var id = (string)execution["id"]!;
        // Polling is the client's view of completion; 20 ms granularity is far below the figures measured.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var status = (string)(await GetAsync("executions/" + id + "?_include=status", cancellationToken))["status"]!;
            if (status is "terminated")
            {
                return id;
            }

            if (status is "failed" or "cancelled")
            {
                throw new InvalidOperationException($"{workflowId} ended {status}");
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>Starts an execution (queued behind a busy deployment when <paramref name="queue"/>) and returns its id.</summary>
    public async Task<string> StartExecutionAsync(string deploymentId, string workflowId, bool queue, CancellationToken cancellationToken)
    {
        using var body = Json(new JsonObject { ["deployment_id"] = deploymentId, ["workflow_id"] = workflowId, ["queue"] = queue });
        using var response = await _http.PostAsync(new Uri("executions", UriKind.Relative), body, cancellationToken);
        await EnsureAsync(response, workflowId, cancellationToken);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["id"]!;
    }

    /// <summary>How many executions of <paramref name="workflowId"/> are in <paramref name="status"/> (the list total).</summary>
    public async Task<int> CountExecutionsAsync(string workflowId, string status, CancellationToken cancellationToken)
    {
        var page = await GetAsync($"executions?workflow_id={workflowId}&status={status}&_size=1&_include=id", cancellationToken);
        return (int)page["metadata"]!["pagination"]!["total"]!;
    }

    public async Task<int> CountInstancesInStateAsync(string deploymentId, string state, CancellationToken cancellationToken)
    {
        var page = await GetAsync($"node-instances?deployment_id={deploymentId}&state={state}&_size=1&_include=id", cancellationToken);
        return (int)page["metadata"]!["pagination"]!["total"]!;
    }

    /// <summary><c>POST /events</c> as an agent sends it; returns once the manager answered 201 (the rows are stored).</summary>
    public async Task PostEventsAsync(JsonObject body, CancellationToken cancellationToken)
    {
        using var content = Json(body);
        using var response = await _http.PostAsync(new Uri("events", UriKind.Relative), content, cancellationToken);
        await EnsureAsync(response, "events", cancellationToken);
    }

    /// <summary>Events and logs stored for the execution (the list total).</summary>
    public async Task<long> CountEventsAsync(string executionId, CancellationToken cancellationToken)
    {
        var page = await GetAsync($"events?execution_id={executionId}&_size=1&_include=message", cancellationToken);
        return (long)page["metadata"]!["pagination"]!["total"]!;
    }

    /// <summary>
    /// The message texts of an execution's events and logs, the first 1,000 only (one page, one query: the visibility
    /// probe polls it every 50 ms and marks no more lines than that).
    /// </summary>
    public async Task<List<string>> ListEventMessagesAsync(string executionId, CancellationToken cancellationToken)
    {
        var page = await GetAsync($"events?execution_id={executionId}&_size=1000&_include=message", cancellationToken);
        return page["items"]!.AsArray().Select(i => i?["message"]?.GetValue<string>() ?? "").ToList();
    }

    /// <summary>Every item of a list endpoint, 1,000 a page (Cloudify's largest page), in storage order.</summary>
    public async Task<List<JsonNode>> ListAllAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var items = new List<JsonNode>();
        while (true)
        {
            var page = await GetAsync($"{pathAndQuery}&_size=1000&_offset={items.Count}", cancellationToken);
            var batch = page["items"]!.AsArray();
            items.AddRange(batch.Select(i => i!));
            if (batch.Count == 0 || items.Count >= (int)page["metadata"]!["pagination"]!["total"]!)
            {
                return items;
            }
        }
    }

    /// <summary>A call as an agent makes it to <c>/agents/{name}</c> (PUT, PATCH, or POST .../heartbeat).</summary>
    public async Task SendAgentAsync(HttpMethod method, string name, string suffix, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri("agents/" + Uri.EscapeDataString(name) + suffix, UriKind.Relative));
        using var content = body is null ? null : Json(body);
        request.Content = content;
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, $"{method} agent {name}{suffix}", cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        await EnsureAsync(response, path, cancellationToken);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task EnsureAsync(HttpResponseMessage response, string step, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"{step}: HTTP {(int)response.StatusCode}: {text}");
        }
    }
}
