using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Stratus.Server.Tests.Support;

internal static class Uploads
{
    /// <summary>Uploads the way cloudify_rest_client 7 does: multipart with <c>params</c> JSON and <c>blueprint_archive</c>.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> UploadAsync(
        this HttpClient client, string id, byte[] archive, JsonObject? parameters = null)
    {
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent((parameters ?? new JsonObject { ["visibility"] = "tenant", ["application_file_name"] = "blueprint.yaml" }).ToJsonString()), "params");
        var file = new ByteArrayContent(archive);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        content.Add(file, "blueprint_archive", "filename");
        using var response = await client.PutAsync($"/api/v3.1/blueprints/{id}", content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>The legacy form: arguments in the query string, the archive as the raw body.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> UploadRawAsync(this HttpClient client, string id, byte[] archive, string query = "")
    {
        using var content = new ByteArrayContent(archive);
        using var response = await client.PutAsync($"/api/v3.1/blueprints/{id}{query}", content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task UploadValidAsync(this HttpClient client, string id, byte[]? archive = null)
    {
        var response = await client.UploadAsync(id, archive ?? Archives.Zip(Archives.ValidBlueprint()));
        Assert.True(response.Status == HttpStatusCode.Created, $"upload of {id}: {(int)response.Status} {response.Body?.ToJsonString()}");
    }

    public static async Task CreateDeploymentAsync(this HttpClient client, string blueprintId, string deploymentId)
    {
        var response = await client.SendAsync(
            HttpMethod.Put,
            $"/api/v3.1/deployments/{deploymentId}",
            new JsonObject { ["blueprint_id"] = blueprintId, ["inputs"] = new JsonObject { ["greeting"] = "hello" } });
        Assert.True(response.Status == HttpStatusCode.Created, $"deployment {deploymentId}: {(int)response.Status} {response.Body?.ToJsonString()}");
    }
}
