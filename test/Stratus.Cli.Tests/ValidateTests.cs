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

    [Fact]
    public async Task BlueprintsValidate_PrintsEveryError_WithItsCode()
    {
        using var cli = new CliRun();
        var folder = Directory.CreateDirectory(Path.Combine(cli.Home, "bad")).FullName;
        var file = Path.Combine(folder, "blueprint.yaml");
        await File.WriteAllTextAsync(
            file,
            "tosca_definitions_version: cloudify_dsl_1_4\nimports:\n  - cloudify/types/types.yaml\n"
            + "node_templates:\n  a:\n    type: acme.Missing\n  b:\n    type: cloudify.nodes.Root\n    properties:\n      colour: red\n"
            + "outputs:\n  o: {description: nothing}\n",
            TestContext.Current.CancellationToken);

        var exit = await cli.RunAsync("blueprints", "validate", file);

        Assert.Equal(1, exit);
        var lines = cli.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            [$"{file}:6:11:", $"{file}:10:7:", $"{file}:12:6:"],
            lines.Where(l => l.StartsWith(file, StringComparison.Ordinal)).Select(l => l[..(l.IndexOf(": ", file.Length, StringComparison.Ordinal) + 1)]));
        Assert.EndsWith("[code 7]", lines[0], StringComparison.Ordinal);
        Assert.Contains("Blueprint validation failed: 3 errors", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlueprintsValidate_ValidatesArchive_ThroughTheHardenedExtractor()
    {
        using var cli = new CliRun();
        var archive = Path.Combine(cli.Home, "hello.tar.gz");
        await File.WriteAllBytesAsync(
            archive, await Stratus.Client.BlueprintArchive.TarGzFolderAsync(HelloWorld, TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken);

        var exit = await cli.RunAsync("blueprints", "validate", archive);

        Assert.True(exit == 0, cli.Error);
        Assert.Contains("Blueprint validated successfully", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlueprintsValidate_RefusesArchiveEntryOutsideTheFolder()
    {
        using var cli = new CliRun();
        var archive = Path.Combine(cli.Home, "evil.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(archive, System.IO.Compression.ZipArchiveMode.Create))
        {
            var entry = zip.CreateEntry("bp/../../evil.sh");
            await using var stream = await entry.OpenAsync(TestContext.Current.CancellationToken);
            await stream.WriteAsync("echo evil"u8.ToArray(), TestContext.Current.CancellationToken);
        }

        var exit = await cli.RunAsync("blueprints", "validate", archive);

        Assert.Equal(1, exit);
        Assert.Contains("points outside the archive", cli.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "evil.sh")));
    }
}
