namespace Stratus.Agent.Tests;

/// <summary>
/// The private sshd of scripts/test-services.sh: <c>STRATUS_TEST_SSHD=host:port:user:keyfile</c>. Without it a test
/// skips, or fails when CI=true.
/// </summary>
internal sealed record SshTestHost(string Host, int Port, string User, string KeyFile)
{
    public static SshTestHost Require()
    {
        var value = Environment.GetEnvironmentVariable("STRATUS_TEST_SSHD");
        var parts = value?.Split(':', 4);
        if (parts is { Length: 4 } && int.TryParse(parts[1], out var port))
        {
            return new SshTestHost(parts[0], port, parts[2], parts[3]);
        }

        const string reason = "sshd was not provisioned: STRATUS_TEST_SSHD is not set (run `source scripts/test-services.sh start` first)";
        TestServices.Unavailable(reason);
        throw new InvalidOperationException("unreachable: TestServices.Unavailable throws");
    }
}
