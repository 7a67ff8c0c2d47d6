using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Server.Plugins;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class WagonMetadataTests : IDisposable
{
    private readonly List<string> _files = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("tar.gz")]
    [InlineData("tar")]
    [InlineData("zip")]
    public void Read_FindsPackageJson_InTheTopFolder(string format)
    {
        var path = Write(Archives.Build(format, [new("w/wheels/a.whl", "x"), new("w/package.json", Wagons.Metadata().ToJsonString())]));

        var metadata = WagonMetadata.Read(path, 1 << 20, Token);

        Assert.Equal("acme-plugin", metadata["package_name"]!.GetValue<string>());
        Assert.NotNull(WagonMetadata.ReadIfWagon(path, 1 << 20, Token));
    }

    [Fact]
    public void Read_RefusesPackageJson_OutsideTheTopFolder()
    {
        var path = Write(Archives.TarGz([new("package.json", "{}"), new("w/deeper/package.json", "{}")]));

        Assert.Null(WagonMetadata.ReadIfWagon(path, 1 << 20, Token));
        var error = Assert.Throws<StratusException>(() => WagonMetadata.Read(path, 1 << 20, Token));
        Assert.Equal(ErrorCodes.InvalidPlugin, error.ErrorCode);
    }

    [Fact]
    public void Read_Refuses_WhenPackageJsonIsHuge()
    {
        var huge = new JsonObject { ["package_name"] = new string('a', 2 * 1024 * 1024) }.ToJsonString();
        var path = Write(Archives.TarGz([new("w/package.json", huge)]));

        var error = Assert.Throws<StratusException>(() => WagonMetadata.Read(path, 64L << 20, Token));

        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StopsDecompressing_AtTheLimit()
    {
        // Highly compressible filler before the metadata: the bound trips while walking, before package.json.
        var path = Write(Archives.TarGz([new("w/filler.bin", new string('\0', 4 * 1024 * 1024)), new("w/package.json", "{}")]));

        var error = Assert.Throws<StratusException>(() => WagonMetadata.Read(path, 1024 * 1024, Token));

        Assert.Contains("expands to more than", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _files.ForEach(File.Delete);

    private string Write(byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), "stratus-wagon-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, content);
        _files.Add(path);
        return path;
    }
}
