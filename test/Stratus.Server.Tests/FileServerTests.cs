using System.Net;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class FileServerTests
{
    [Fact]
    public async Task Resources_ServesTheExtractedBlueprintFiles_ToItsTenant()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");

        var script = await manager.Client.GetStringAsync("/resources/blueprints/default_tenant/bp/scripts/create.sh", TestContext.Current.CancellationToken);

        Assert.Equal("#!/bin/bash\necho created\n", script);
    }

    [Fact]
    public async Task Resources_Answers403_ForAnotherTenantsFolder()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.AddTenantAsync("other");
        using var other = await manager.MemberAsync("oscar", "manager", tenant: "other");

        var response = await other.GetJsonAsync("/resources/blueprints/default_tenant/bp/blueprint.yaml");

        response.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
    }

    [Fact]
    public async Task Resources_Answers401_WithoutCredentials()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        using var anonymous = manager.CreateClient(null, null);

        var response = await anonymous.GetJsonAsync("/resources/blueprints/default_tenant/bp/blueprint.yaml");

        response.AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
    }

    [Theory]
    [InlineData("/resources/blueprints/default_tenant/bp/..%2F..%2F..%2Fstratus.db")]
    [InlineData("/resources/blueprints/default_tenant/..%2F..%2F..%2Fstratus.db")]
    [InlineData("/resources/..%2Fstratus.db")]
    [InlineData("/resources/blueprints/default_tenant/bp/%2E%2E/%2E%2E/%2E%2E/%2E%2E/stratus.db")]
    public async Task Resources_NeverServesOutsideTheRoot(string path)
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");

        using var response = await manager.Client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("SQLite format", System.Text.Encoding.ASCII.GetString(body), StringComparison.Ordinal);
    }
}
