namespace Stratus.Cli.Tests;

public sealed class ValidateTests
{
    private static string HelloWorld
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "examples", "hello-world");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException("examples/hello-world not found above the test output");
        }
    }

    [Fact]
    public async Task BlueprintsValidate_Succeeds_ForHelloWorldExample()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("blueprints", "validate", HelloWorld);

        Assert.True(exit == 0, cli.Error);
        Assert.Contains("Blueprint validated successfully", cli.Out, StringComparison.Ordinal);
        Assert.Empty(cli.Manager.Requests);
    }

    [Fact]
    public async Task BlueprintsValidate_PrintsFileLineAndColumn_WhenNodeTypeIsUnknown()
    {
        using var cli = new CliRun();
        var folder = Directory.CreateDirectory(Path.Combine(cli.Home, "bad")).FullName;
        var file = Path.Combine(folder, "blueprint.yaml");
        await File.WriteAllTextAsync(
            file,
            "tosca_definitions_version: cloudify_dsl_1_4\nimports:\n  - cloudify/types/types.yaml\nnode_templates:\n  a:\n    type: acme.Missing\n",
            TestContext.Current.CancellationToken);

        var exit = await cli.RunAsync("blueprints", "validate", file);

        Assert.Equal(1, exit);
        Assert.Contains($"{file}:6:", cli.Error, StringComparison.Ordinal);
        Assert.Contains("acme.Missing", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlueprintsValidate_Exits1_WhenPathDoesNotExist()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("blueprints", "validate", "/no/such/blueprint");

        Assert.Equal(1, exit);
        Assert.Contains("no blueprint folder, YAML file or archive at /no/such/blueprint", cli.Error, StringComparison.Ordinal);
    }
}
