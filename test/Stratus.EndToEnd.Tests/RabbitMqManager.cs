namespace Stratus.EndToEnd.Tests;

/// <summary>
/// A manager whose workflows and operations travel through RabbitMQ: <c>manager start --broker-url</c> on the node
/// named by <c>STRATUS_TEST_RABBITMQ</c> (scripts/test-services.sh). Without that variable the tests skip, or fail
/// when CI=true.
/// </summary>
public sealed class RabbitMqManager : IAsyncLifetime
{
    private const string Variable = "STRATUS_TEST_RABBITMQ";
    private readonly string? _url = Environment.GetEnvironmentVariable(Variable);

    public ManagerProcess? Manager { get; private set; }

    public string? UnavailableReason => string.IsNullOrWhiteSpace(_url)
        ? $"RabbitMQ was not provisioned: {Variable} is not set (run `source scripts/test-services.sh start` first)"
        : null;

    public async ValueTask InitializeAsync()
    {
        if (UnavailableReason is not null)
        {
            return;
        }

        Manager = new ManagerProcess(["--broker-url", _url!]);
        await Manager.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Manager is not null)
        {
            await Manager.DisposeAsync();
        }
    }

    /// <summary>The running manager, or the test stops here: skipped locally, failed on CI.</summary>
    public ManagerProcess Require()
    {
        TestServices.Require(UnavailableReason);

        return Manager!;
    }
}
