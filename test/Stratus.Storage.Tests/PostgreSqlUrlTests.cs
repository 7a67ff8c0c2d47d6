using Npgsql;
using Stratus.Storage.PostgreSql;

namespace Stratus.Storage.Tests;

public sealed class PostgreSqlUrlTests
{
    [Fact]
    public void ToConnectionString_MapsEveryPart_PercentDecoded()
    {
        var text = PostgreSqlUrl.ToConnectionString("postgresql://st%40ratus:p%3Ass%2Fw@db.example:6543/my%20db?sslmode=verify-full&connect_timeout=7&application_name=mgr");
        var built = new NpgsqlConnectionStringBuilder(text);

        Assert.Equal("st@ratus", built.Username);
        Assert.Equal("p:ss/w", built.Password);
        Assert.Equal("db.example", built.Host);
        Assert.Equal(6543, built.Port);
        Assert.Equal("my db", built.Database);
        Assert.Equal(SslMode.VerifyFull, built.SslMode);
        Assert.Equal(7, built.Timeout);
        Assert.Equal("mgr", built.ApplicationName);
    }

    [Fact]
    public void ToConnectionString_DefaultsPortAndDatabase_AsLibpq()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgreSqlUrl.ToConnectionString("postgres://bob@[::1]"));

        Assert.Equal("::1", built.Host);
        Assert.Equal(5432, built.Port);
        Assert.Equal("bob", built.Database);
        Assert.Null(built.Password);
    }

    [Fact]
    public void ToConnectionString_KeepsSeveralHostsWithTheirPorts()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgreSqlUrl.ToConnectionString("postgresql://u:p@a:5433,b:5434/d?target_session_attrs=read-write"));

        Assert.Equal("a:5433,b:5434", built.Host);
        Assert.Equal("read-write", built["Target Session Attributes"]?.ToString());
    }

    [Theory]
    [InlineData("mysql://u:p@h/d", "scheme")]
    [InlineData("postgresql://u:p@h:99999/d", "port of host 'h'")]
    [InlineData("postgresql://u:p@h:abc/d", "port of host 'h'")]
    [InlineData("postgresql://u:p@/d", "host is missing")]
    [InlineData("postgresql://u:p@h/d?sslmode=sometimes", "sslmode")]
    [InlineData("postgresql://u:p@h/d?colour=blue", "'colour'")]
    [InlineData("postgresql://u:p@h/d/e", "database name")]
    [InlineData("postgresql://u:p@[::1/d", "opens '['")]
    public void ToConnectionString_NamesTheBadPart(string url, string part)
    {
        var error = Assert.Throws<FormatException>(() => PostgreSqlUrl.ToConnectionString(url));

        Assert.Contains(part, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToConnectionString_NeverEchoesThePassword()
    {
        var bad = Assert.Throws<FormatException>(() => PostgreSqlUrl.ToConnectionString("postgresql://u:s3cr%zzet@h/d"));
        var noScheme = Assert.Throws<FormatException>(() => PostgreSqlUrl.ToConnectionString("u:s3cret@h/d"));

        Assert.Contains("password", bad.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", bad.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", noScheme.Message, StringComparison.Ordinal);
    }
}
