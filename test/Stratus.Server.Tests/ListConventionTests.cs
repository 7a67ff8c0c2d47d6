using System.Net;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class ListConventionTests
{
    [Fact]
    public async Task EmptyList_HasCloudifyMetadata()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync("/api/v3.1/blueprints?_offset=0&_size=1000&_sort=created_at");

        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(WireFiles.Body("07-blueprints-empty"), response.Body), response.Body?.ToJsonString());
    }

    [Fact]
    public async Task UnknownSortKey_Answers400BadParameters_ListingTheAllowedKeys()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync("/api/v3.1/blueprints?_sort=nope");

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.StartsWith("Sort keys '['nope']' do not exist. Allowed keys are: [", response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownIncludeField_Answers400NoSuchIncludeField()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync("/api/v3.1/deployments?_include=id,nope");

        response.AssertError(HttpStatusCode.BadRequest, "no_such_include_field_error");
        Assert.StartsWith("include keys '['nope']' do not exist.", response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFilter_Answers400BadParameters()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync("/api/v3.1/deployments?colour=red");

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
    }

    [Theory]
    [InlineData("/api/v3.1/deployments?_size=-1")]
    [InlineData("/api/v3.1/deployments?_offset=abc")]
    [InlineData("/api/v3.1/deployments?_get_all_results=maybe")]
    public async Task MalformedPagination_Answers400BadParameters(string path)
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync(path);

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
    }

    [Fact]
    public async Task MultiValuedFilter_OrsTheValues_AndIncludeProjectsItems()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "a");
        await manager.Client.CreateDeploymentAsync("bp", "b");
        await manager.Client.CreateDeploymentAsync("bp", "c");

        var response = await manager.Client.GetJsonAsync("/api/v3.1/deployments?id=a&id=c&_include=id&_sort=id");

        Assert.Equal("""[{"id":"a"},{"id":"c"}]""", response.Body!["items"]!.ToJsonString());
        Assert.Equal(2, response.Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetAllResults_IgnoresTheSize()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "a");
        await manager.Client.CreateDeploymentAsync("bp", "b");

        var response = await manager.Client.GetJsonAsync("/api/v3.1/deployments?_size=1&_get_all_results=TRUE");

        Assert.Equal(2, response.Body!["items"]!.AsArray().Count);
    }
}
