using Stratus.Agent.Installer.Remote;

namespace Stratus.Agent.Tests;

public sealed class HostKeyCheckTests
{
    [Theory]
    [InlineData("SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og")]
    [InlineData("ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og")]
    [InlineData("ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og=")]
    [InlineData(" sha256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og ")]
    public void Normalize_GivesOpenSshsForm(string written) =>
        Assert.Equal("SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og", HostKeyCheck.Normalize(written));

    [Fact]
    public void Accepts_AnyKeyOnFirstUse_ThenOnlyTheRecordedOne()
    {
        Assert.True(HostKeyCheck.Accepts(null, "abc"));
        Assert.True(HostKeyCheck.Accepts("SHA256:abc", "abc"));
        Assert.False(HostKeyCheck.Accepts("SHA256:abc", "abd"));
        Assert.False(HostKeyCheck.Accepts("SHA256:abc", "ABC"));
    }
}
