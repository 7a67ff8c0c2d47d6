using Stratus.Archiving;
using Stratus.Core.Errors;
using Stratus.Server.Blueprints;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class ArchiveExtractorTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "stratus-extractor-tests", Guid.NewGuid().ToString("N"));
    private readonly BlueprintArchiveExtractor _extractor = new(new ArchiveLimits(MaxEntries: 20, MaxExtractedBytes: 64 * 1024));

    public ArchiveExtractorTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    public static TheoryData<string> Formats() => ["zip", "tar", "tar.gz", "tar.bz2"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Extract_WritesTheFiles_AndFindsTheSingleTopFolder(string format)
    {
        var destination = Extract(format, Archives.ValidBlueprint("my-bp"), out var detected);

        Assert.Equal(format, detected.Extension());
        var root = BlueprintArchiveExtractor.FindRoot(destination);
        Assert.Equal("my-bp", Path.GetFileName(root));
        Assert.Equal(Archives.Blueprint, File.ReadAllText(Path.Combine(root, "blueprint.yaml")));
        Assert.True(File.Exists(Path.Combine(root, "scripts", "create.sh")));
    }

    public static TheoryData<string, string> Escapes() => new()
    {
        { "zip", "bp/../../evil.sh" },
        { "tar", "bp/../../evil.sh" },
        { "tar.gz", "../evil.sh" },
        { "zip", "/etc/evil.sh" },
        { "tar", "/tmp/evil.sh" },
        { "zip", "C:/evil.sh" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Extract_RefusesNamesOutsideTheRoot(string format, string name)
    {
        var error = Assert.Throws<StratusException>(() => Extract(format, [.. Archives.ValidBlueprint(), new ArchiveEntry(name, "x")], out _));

        Assert.Equal(ErrorCodes.InvalidBlueprint, error.ErrorCode);
        Assert.False(File.Exists(Path.Combine(_work, "evil.sh")), "nothing may be written outside the destination");
        Assert.False(File.Exists("/tmp/evil.sh") && File.ReadAllText("/tmp/evil.sh") == "x", "an absolute entry must not be written");
    }

    [Theory]
    [InlineData("zip", EntryKind.Symlink)]
    [InlineData("tar", EntryKind.Symlink)]
    [InlineData("tar.gz", EntryKind.HardLink)]
    [InlineData("tar.bz2", EntryKind.Symlink)]
    public void Extract_RefusesLinks(string format, EntryKind kind)
    {
        var error = Assert.Throws<StratusException>(
            () => Extract(format, [.. Archives.ValidBlueprint(), new ArchiveEntry("bp/passwd", Kind: kind, LinkTarget: "/etc/passwd")], out _));

        Assert.Contains("bp/passwd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_RefusesTooManyEntries()
    {
        var entries = Enumerable.Range(0, 25).Select(i => new ArchiveEntry($"bp/f{i}.txt", "x"));

        var error = Assert.Throws<StratusException>(() => Extract("tar.gz", entries, out _));

        Assert.Contains("more than 20 entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_StopsAZipBomb_AtTheSizeLimit()
    {
        var entries = new[] { new ArchiveEntry("bp/zeros.bin", new string('0', 1024 * 1024)) };

        var error = Assert.Throws<StratusException>(() => Extract("zip", entries, out _));

        Assert.Contains("expands to more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_RefusesDuplicateEntries()
    {
        var entries = new[] { new ArchiveEntry("bp/a.txt", "1"), new ArchiveEntry("bp/./a.txt", "2") };

        var error = Assert.Throws<StratusException>(() => Extract("tar", entries, out _));

        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_RefusesSomethingThatIsNotAnArchive()
    {
        var path = Path.Combine(_work, "not-an-archive");
        File.WriteAllText(path, "tosca_definitions_version: cloudify_dsl_1_4\n");

        var error = Assert.Throws<StratusException>(() => _extractor.Extract(path, Path.Combine(_work, "out"), TestContext.Current.CancellationToken));

        Assert.Contains("not a zip, tar, tar.gz or tar.bz2", error.Message, StringComparison.Ordinal);
    }

    private string Extract(string format, IEnumerable<ArchiveEntry> entries, out ArchiveFormat detected)
    {
        var archive = Path.Combine(_work, "archive");
        File.WriteAllBytes(archive, Archives.Build(format, entries));
        var destination = Path.Combine(_work, "out");
        detected = _extractor.Extract(archive, destination, TestContext.Current.CancellationToken);
        return destination;
    }
}
