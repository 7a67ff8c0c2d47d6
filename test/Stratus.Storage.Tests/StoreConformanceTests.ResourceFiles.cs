using System.Security.Cryptography;
using System.Text;
using Stratus.Storage.Sql;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task InsertBlueprintAsync_StoresFilesWithRow_ReadBackStreamed()
    {
        var files = Tree(ResourceOwner.Blueprint(Make.Tenant, "bp"), "g1", ("blueprint.yaml", "tosca_definitions_version: x\n"), ("scripts/create.sh", "echo hi\n"), ("empty.txt", ""));

        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), [files], Token);

        var listed = await Store.ListResourceFilesAsync(ResourceOwner.Blueprint(Make.Tenant, "bp"), Token);
        Assert.Equal(["blueprint.yaml", "empty.txt", "scripts/create.sh"], listed.Select(f => f.Path));
        var script = listed.Single(f => f.Path == "scripts/create.sh");
        Assert.Equal(8, script.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("echo hi\n"u8)), script.Sha256);
        Assert.All(listed, f => Assert.Equal("g1", f.Generation));
        Assert.Equal("g1", await Store.GetResourceGenerationAsync(ResourceOwner.Blueprint(Make.Tenant, "bp"), Token));
        Assert.Equal("echo hi\n", await ReadTextAsync(ResourceOwner.Blueprint(Make.Tenant, "bp"), "g1", "scripts/create.sh"));
        Assert.Equal("", await ReadTextAsync(ResourceOwner.Blueprint(Make.Tenant, "bp"), "g1", "empty.txt"));
        Assert.Null(await ReadTextAsync(ResourceOwner.Blueprint(Make.Tenant, "bp"), "other-generation", "scripts/create.sh"));
        Assert.Null(await ReadTextAsync(ResourceOwner.Blueprint("other_tenant", "bp"), "g1", "scripts/create.sh"));
    }

    [Fact]
    public async Task InsertPluginAsync_StoresFileBiggerThanOneChunk_InChunksReadBackWhole()
    {
        var wagon = new byte[(SqlStratusStore.ChunkBytes * 2) + 12345];
        new Random(7).NextBytes(wagon);
        var owner = ResourceOwner.Plugin(Make.Tenant, "p1");

        await Store.InsertPluginAsync(
            Make.Plugin("p1", "big", "1.0", Time.GetUtcNow()), [new ResourceFileSet(owner, "g1", [new ResourceFileSource("big.wgn", () => new MemoryStream(wagon))])], Token);

        var listed = Assert.Single(await Store.ListResourceFilesAsync(owner, Token));
        Assert.Equal(wagon.Length, listed.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(wagon)), listed.Sha256);
        using var copy = new MemoryStream();
        Assert.True(await Store.CopyResourceFileAsync(ResourceOwner.Plugin(null, "p1"), "g1", "big.wgn", copy, Token));
        Assert.Equal(wagon, copy.ToArray());
    }

    [Fact]
    public async Task InsertBlueprintAsync_LeavesNoRowAndNoFiles_WhenAFileFailsMidStream()
    {
        var owner = ResourceOwner.Blueprint(Make.Tenant, "bp");
        var files = new ResourceFileSet(owner, "g1", [
            new ResourceFileSource("blueprint.yaml", () => new MemoryStream("a"u8.ToArray())),
            new ResourceFileSource("big.bin", () => new FailingStream(SqlStratusStore.ChunkBytes + 10)),
        ]);

        await Assert.ThrowsAsync<IOException>(() => Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), [files], Token));

        Assert.Null(await Store.GetBlueprintAsync(Make.Tenant, "bp", Token));
        Assert.Empty(await Store.ListResourceFilesAsync(owner, Token));
        Assert.Null(await Store.GetResourceGenerationAsync(owner, Token));
    }

    [Fact]
    public async Task InsertBlueprintAsync_KeepsTheFirstUploadsFiles_WhenTheIdExists()
    {
        var owner = ResourceOwner.Blueprint(Make.Tenant, "bp");
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), [Tree(owner, "g1", ("a.yaml", "first"))], Token);

        await AssertStratusAsync("conflict_error", 409, () => Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), [Tree(owner, "g2", ("a.yaml", "second"))], Token));

        Assert.Equal("g1", await Store.GetResourceGenerationAsync(owner, Token));
        Assert.Equal("first", await ReadTextAsync(owner, "g1", "a.yaml"));
    }

    [Fact]
    public async Task DeleteBlueprintAsync_DeletesItsFiles_AndAReuploadHasANewGeneration()
    {
        var owner = ResourceOwner.Blueprint(Make.Tenant, "bp");
        var archive = ResourceOwner.UploadedBlueprint(Make.Tenant, "bp");
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), [Tree(owner, "g1", ("a.yaml", "first")), Tree(archive, "g1", ("bp.zip", "zip"))], Token);

        Assert.True(await Store.DeleteBlueprintAsync(Make.Tenant, "bp", Token));
        Assert.Null(await Store.GetResourceGenerationAsync(owner, Token));
        Assert.Null(await Store.GetResourceGenerationAsync(archive, Token));
        Assert.Null(await ReadTextAsync(owner, "g1", "a.yaml"));

        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), [Tree(owner, "g2", ("a.yaml", "second"))], Token);
        Assert.Equal("g2", await Store.GetResourceGenerationAsync(owner, Token));
        Assert.Equal("second", await ReadTextAsync(owner, "g2", "a.yaml"));
        Assert.Null(await ReadTextAsync(owner, "g1", "a.yaml"));
    }

    [Fact]
    public async Task DeletePluginAsync_DeletesItsFiles()
    {
        var owner = ResourceOwner.Plugin(Make.Tenant, "p1");
        await Store.InsertPluginAsync(Make.Plugin("p1", "pk", "1.0", Time.GetUtcNow()), [Tree(owner, "g1", ("pk.wgn", "w"), ("plugin.yaml", "y"))], Token);

        Assert.True(await Store.DeletePluginAsync(Make.Tenant, "p1", Token));

        Assert.Empty(await Store.ListResourceFilesAsync(ResourceOwner.Plugin(null, "p1"), Token));
    }

    [Fact]
    public async Task ImportResourceFilesAsync_StoresOnce_OnlyForAnExistingRowWithoutFiles()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token);
        await Store.InsertDeploymentAsync(Make.Deployment("dep", "bp", Time.GetUtcNow()), [], [], Token);
        Assert.Equal([ResourceOwner.Blueprint(Make.Tenant, "bp")], await Store.ListResourcesWithoutFilesAsync(ResourceKinds.Blueprint, Token));

        Assert.True(await Store.ImportResourceFilesAsync(Tree(ResourceOwner.Blueprint(Make.Tenant, "bp"), "g1", ("a.yaml", "legacy")), Token));
        Assert.False(await Store.ImportResourceFilesAsync(Tree(ResourceOwner.Blueprint(Make.Tenant, "bp"), "g2", ("a.yaml", "again")), Token));
        Assert.False(await Store.ImportResourceFilesAsync(Tree(ResourceOwner.Blueprint(Make.Tenant, "gone"), "g1", ("a.yaml", "x")), Token));
        Assert.True(await Store.ImportResourceFilesAsync(Tree(ResourceOwner.Deployment(Make.Tenant, "dep"), "g1", ("inputs.yaml", "d")), Token));

        Assert.Empty(await Store.ListResourcesWithoutFilesAsync(ResourceKinds.Blueprint, Token));
        Assert.Equal("legacy", await ReadTextAsync(ResourceOwner.Blueprint(Make.Tenant, "bp"), "g1", "a.yaml"));
        Assert.True(await Store.DeleteDeploymentAsync(Make.Tenant, "dep", Token));
        Assert.Null(await Store.GetResourceGenerationAsync(ResourceOwner.Deployment(Make.Tenant, "dep"), Token));
    }

    [Fact]
    public async Task RecordClusterSettingAsync_KeepsTheFirstValue()
    {
        Assert.Null(await Store.GetClusterSettingAsync("encryption_key_check", Token));

        Assert.Equal("first", await Store.RecordClusterSettingAsync("encryption_key_check", "first", Token));
        Assert.Equal("first", await Store.RecordClusterSettingAsync("encryption_key_check", "second", Token));
        Assert.Equal("first", await Store.GetClusterSettingAsync("encryption_key_check", Token));
    }

    private static ResourceFileSet Tree(ResourceOwner owner, string generation, params (string Path, string Text)[] files) =>
        new(owner, generation, [.. files.Select(f => new ResourceFileSource(f.Path, () => new MemoryStream(Encoding.UTF8.GetBytes(f.Text))))]);

    private async Task<string?> ReadTextAsync(ResourceOwner owner, string generation, string path)
    {
        using var copy = new MemoryStream();
        return await Store.CopyResourceFileAsync(owner, generation, path, copy, Token) ? Encoding.UTF8.GetString(copy.ToArray()) : null;
    }

    /// <summary>Yields <c>length</c> bytes, then fails as a broken upload would.</summary>
    private sealed class FailingStream(int length) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= length)
            {
                throw new IOException("the upload broke off");
            }

            var n = Math.Min(count, length - _position);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
