using System.Net.Http.Headers;
using System.Text;

namespace Stratus.Testing;

/// <summary>
/// The run's RabbitMQ node with its management API (STRATUS_TEST_RABBITMQ and STRATUS_TEST_RABBITMQ_MANAGEMENT from
/// scripts/test-services.sh): the requirement (skipped locally, failed on CI) and an HTTP client of the API. Linked into
/// the test projects that use it (test/Shared).
/// </summary>
internal static class RabbitMqManagement
{
    /// <summary>The broker URL and the management URL (with its credentials), or the test stops here.</summary>
    public static (string Amqp, Uri Management) Require()
    {
        var amqp = Environment.GetEnvironmentVariable("STRATUS_TEST_RABBITMQ");
        var management = Environment.GetEnvironmentVariable("STRATUS_TEST_RABBITMQ_MANAGEMENT");
        if (string.IsNullOrEmpty(amqp) || string.IsNullOrEmpty(management))
        {
            TestServices.Unavailable(
                "RabbitMQ with its management API was not provisioned: STRATUS_TEST_RABBITMQ / STRATUS_TEST_RABBITMQ_MANAGEMENT are not set (source scripts/test-services.sh start)");
        }

        return (amqp, new Uri(management));
    }

    /// <summary>A client of the management API at <paramref name="management"/>, authenticated with its user info.</summary>
    public static HttpClient Client(Uri management)
    {
        var client = new HttpClient { BaseAddress = new UriBuilder(management) { UserName = "", Password = "" }.Uri };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        return client;
    }
}
