namespace Stratus.Cli.Tests;

/// <summary>Runs the CLI in-process against a fake manager and a private home folder.</summary>
internal sealed class CliRun : IDisposable
{
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal)
    {
        ["STRATUS_MANAGER_URL"] = "http://manager.test:8100",
        ["STRATUS_PASSWORD"] = "pw",
    };

    public CliRun(FakeManager? manager = null)
    {
        Manager = manager ?? new FakeManager();
        Home = Directory.CreateTempSubdirectory("stratus-cli-home-").FullName;
    }

    public FakeManager Manager { get; }

    public string Home { get; }

    public string Out { get; private set; } = "";

    public string Error { get; private set; } = "";

    public CliRun With(string variable, string? value)
    {
        if (value is null)
        {
            _variables.Remove(variable);
        }
        else
        {
            _variables[variable] = value;
        }

        return this;
    }

    public async Task<int> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment(name => _variables.GetValueOrDefault(name), Home)
        {
            HttpHandler = () => new NonDisposingHandler(Manager),
        };
        var exit = await CliApp.RunAsync(args, new CliConsole(output, error, IsInteractive: false), environment, TimeProvider.System, TestContext.Current.CancellationToken);
        Out = output.ToString();
        Error = error.ToString();
        return exit;
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);

    /// <summary>Lets one fake manager serve several CLI runs (each run disposes its own handler, not the manager).</summary>
    private sealed class NonDisposingHandler(FakeManager manager) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            manager.HandleAsync(request, cancellationToken);
    }
}
