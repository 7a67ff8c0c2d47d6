namespace Stratus.Messaging.Tests;

/// <summary>The services scripts/test-services.sh provisions (what a test does when one is missing: <see cref="TestServices"/>).</summary>
internal static class Services
{
    public const string RabbitMqVariable = "STRATUS_TEST_RABBITMQ";

    public static string? RabbitMqUrl =>
        Environment.GetEnvironmentVariable(RabbitMqVariable) is { Length: > 0 } url ? url : null;

    public static string? RabbitMqUnavailableReason => RabbitMqUrl is null
        ? $"RabbitMQ was not provisioned: {RabbitMqVariable} is not set (run `source scripts/test-services.sh start` first)"
        : null;
}
