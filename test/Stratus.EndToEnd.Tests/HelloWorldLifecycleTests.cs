using System.Net;
using Stratus.Client;

namespace Stratus.EndToEnd.Tests;

[Collection(ManagerCollection.Name)]
public sealed class HelloWorldLifecycleTests(ManagerProcess manager)
{
    [Fact]
    public Task HelloWorld_InstallsAndUninstalls_OverRestApi() => HelloWorldScenario.RunAsync(manager, "hw-rest");

    [Fact]
    public async Task BlueprintUpload_Answers400InvalidBlueprint_WhenNodeTypeIsUnknown()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateDirectory(Path.Combine(manager.WorkDir, "bad")).FullName;
        await File.WriteAllTextAsync(
            Path.Combine(folder, "blueprint.yaml"),
            "tosca_definitions_version: cloudify_dsl_1_4\nimports:\n  - cloudify/types/types.yaml\nnode_templates:\n  a:\n    type: acme.Missing\n",
            ct);

        var error = await Assert.ThrowsAsync<StratusApiException>(() => manager.Client.Blueprints.UploadAsync("bad", folder, cancellationToken: ct));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("invalid_blueprint_error", error.ErrorCode);
        Assert.Contains("acme.Missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_Answers401_WhenPasswordIsWrong()
    {
        using var http = new HttpClient();
        var intruder = manager.ClientWith(http, "not-the-password");

        var error = await Assert.ThrowsAsync<StratusApiException>(
            () => intruder.Blueprints.ListAsync(cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("unauthorized_error", error.ErrorCode);
    }

    [Fact]
    public async Task Version_ReportsCommunityEdition()
    {
        var version = await manager.Client.Manager.GetVersionAsync(TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrEmpty(version.Version));
        Assert.Equal("community", version.Edition);
    }
}
