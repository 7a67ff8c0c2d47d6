using System.Diagnostics.CodeAnalysis;

namespace Stratus.Testing;

/// <summary>
/// The rule for tests that need a service scripts/test-services.sh provisions (PostgreSQL, RabbitMQ, sshd): without it
/// the test is skipped, except with CI=true, where a service that is missing is a failure, never a silent skip.
/// </summary>
internal static class TestServices
{
    /// <summary>Stops the test because a service it needs is missing, for the reason given.</summary>
    [DoesNotReturn]
    public static void Unavailable(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        throw new InvalidOperationException("unreachable: Assert.Skip throws");
    }

    /// <summary>Stops the test when <paramref name="unavailableReason"/> is set; returns otherwise.</summary>
    public static void Require(string? unavailableReason)
    {
        if (unavailableReason is not null)
        {
            Unavailable(unavailableReason);
        }
    }
}
