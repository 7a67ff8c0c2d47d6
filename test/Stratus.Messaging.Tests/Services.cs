namespace Stratus.Messaging.Tests;

/// <summary>The services scripts/test-services.sh provisions, and what a test does when one is missing.</summary>
internal static class Services
{
    public const string RabbitMqVariable = "STRATUS_TEST_RABBITMQ";

    public static string? RabbitMqUrl =>
        Environment.GetEnvironmentVariable(RabbitMqVariable) is { Length: > 0 } url ? url : null;

    public static string? RabbitMqUnavailableReason => RabbitMqUrl is null
        ? $"RabbitMQ was not provisioned: {RabbitMqVariable} is not set (run `source scripts/test-services.sh start` first)"
        : null;

    /// <summary>Skips the test when <paramref name="reason"/> is set; on CI (CI=true) a missing service fails it.</summary>
    public static void SkipOrFailWhenUnavailable(string? reason)
    {
        if (reason is null)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
    }
}
