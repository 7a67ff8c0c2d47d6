using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class ManagerOptionsTests
{
    [Theory]
    [InlineData("mysql", null, 8100, "StorageProvider must be sqlite or postgresql")]
    [InlineData("postgresql", null, 8100, "needs PostgresConnectionString")]
    [InlineData("sqlite", null, 70000, "Port must be between 0 and 65535")]
    [InlineData("sqlite", null, 8100, "BrokerUrl must look like amqp://", "http://guest:guest@rabbit/")]
    public void Build_RefusesInvalidOptions_NamingTheProblem(string provider, string? connection, int port, string expected, string? brokerUrl = null)
    {
        var options = new ManagerOptions
        {
            DataDir = Path.GetTempPath(), StorageProvider = provider, PostgresConnectionString = connection, Port = port, BrokerUrl = brokerUrl,
        };

        var error = Assert.Throws<ArgumentException>(() => ManagerHost.Build(options));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_HidesTheAdminPasswordTheConnectionStringsAndTheKey()
    {
        var options = new ManagerOptions
        {
            DataDir = "/data",
            AdminPassword = "admin-pw-42",
            StorageProvider = "postgresql",
            PostgresConnectionString = "Host=db;Password=pg-pw-42",
            EncryptionKey = "key-pw-42",
            BrokerUrl = "amqp://stratus:mq-pw-42@rabbit:5672/stratus",
        };

        var text = options.ToString();

        Assert.DoesNotContain("pw-42", text, StringComparison.Ordinal);
        Assert.Contains("/data", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bm90LWEta2V5", "must hold 32 bytes")]
    [InlineData("%%%", "is not base64 text")]
    public void Build_RefusesABadEncryptionKey_WithoutShowingIt(string key, string expected)
    {
        var options = new ManagerOptions { DataDir = ManagerFixture.NewDataDir(), EncryptionKey = key };

        var error = Assert.Throws<ArgumentException>(() => ManagerHost.Build(options));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }
}
