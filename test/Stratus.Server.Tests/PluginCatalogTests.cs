using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Server.Plugins;

namespace Stratus.Server.Tests;

public sealed class PluginCatalogTests
{
    private static readonly Plugin[] Uploaded =
    [
        Make("1.9"), Make("1.10"), Make("1.2.3"), Make("2.0rc1"), Make("2.1", "ubuntu"), Make("2.1"), Make("legacy-build"),
    ];

    private static Plugin Make(string version, string distribution = "rhel") => new()
    {
        Id = $"{version}-{distribution}",
        TenantName = "t",
        CreatedBy = "admin",
        UploadedAt = DateTimeOffset.UnixEpoch,
        PackageName = "acme",
        PackageVersion = version,
        ArchiveName = "a.wgn",
        Distribution = distribution,
    };

    [Theory]
    [InlineData("acme", "2.1-ubuntu")]
    [InlineData("acme?version=<2", "1.10-rhel")]
    [InlineData("acme?version=>=1.2,<1.10", "1.9-rhel")]
    [InlineData("acme?version=>=1.2&version=!=1.10&version=<2", "1.9-rhel")]
    [InlineData("acme?version===1.*", "1.10-rhel")]
    [InlineData("acme?version=~=1.2", "1.10-rhel")]
    [InlineData("acme?version=1.2.3", "1.2.3-rhel")]
    [InlineData("acme?version=legacy-build", "legacy-build-rhel")]
    [InlineData("acme?version=>=2.0rc1,<2.1", "2.0rc1-rhel")]
    [InlineData("acme?distribution=rhel", "2.1-rhel")]
    [InlineData("acme?version=%3E%3D1.10%2C%3C2", "1.10-rhel")]
    [InlineData("acme?version=", "2.1-ubuntu")]
    public void Find_PicksTheHighestMatchingVersion(string spec, string expectedId)
    {
        Assert.Equal(expectedId, PluginCatalog.Find(Uploaded, spec).Id);
    }

    [Theory]
    [InlineData("acme?version=>=3", "Couldn't find plugin \"acme\" with version >=3 for")]
    [InlineData("other", "Couldn't find plugin \"other\" for")]
    [InlineData("acme?version=1.0,", "Specified version param ['1.0,'] of the plugin acme are in an invalid form")]
    [InlineData("acme?arch=x86", "Error parsing spec for plugin acme: invalid parameter arch")]
    public void Find_Throws13_WhenNothingMatchesOrSpecIsBad(string spec, string message)
    {
        var error = Assert.Throws<DslParseException>(() => PluginCatalog.Find(Uploaded, spec));

        Assert.Equal(13, error.DslErrorCode);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1_4", "plugin_1_4.yaml")]
    [InlineData("1_5", "plugin_1_4.yaml")]
    [InlineData("1_3", "plugin_1_3.yaml")]
    [InlineData("1_2", "plugin.yaml")]
    [InlineData(null, "plugin_1_4.yaml")]
    public void Choose_TakesTheYamlOfTheDslVersion_LikeCloudify(string? dslVersion, string expected)
    {
        Assert.Equal(expected, PluginYamlFiles.Choose(["plugin.yaml", "plugin_1_3.yaml", "plugin_1_4.yaml"], dslVersion));
    }

    [Fact]
    public void Choose_ReturnsNull_WhenNoYamlFits()
    {
        Assert.Null(PluginYamlFiles.Choose([], "1_4"));
        Assert.Null(PluginYamlFiles.Choose(["plugin_1_4.yaml"], "1_3"));
    }

    [Fact]
    public void DslVersionOf_ReadsTheTopLevelKey_AndIgnoresIndentedOnes()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, "imports: []\nfoo:\n  tosca_definitions_version: cloudify_dsl_1_0\ntosca_definitions_version: 'cloudify_dsl_1_5'  # latest\n");
        try
        {
            Assert.Equal("1_5", PluginYamlFiles.DslVersionOf(path));
            Assert.Null(PluginYamlFiles.DslVersionOf(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
