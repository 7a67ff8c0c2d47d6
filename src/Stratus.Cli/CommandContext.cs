using Stratus.Cli.Connection;
using Stratus.Cli.Parsing;
using Stratus.Client;

namespace Stratus.Cli;

/// <summary>What a verb runs with: its parsed line, the console, the environment and, on demand, a manager client.</summary>
internal sealed class CommandContext : IDisposable
{
    private HttpClient? _http;
    private StratusClient? _client;

    public CommandContext(ParsedCommand command, CliConsole console, CliEnvironment environment, TimeProvider time)
    {
        Command = command;
        Console = console;
        Environment = environment;
        Time = time;
    }

    public ParsedCommand Command { get; }

    public CliConsole Console { get; }

    public CliEnvironment Environment { get; }

    public TimeProvider Time { get; }

    public TextWriter Out => Console.Out;

    public async Task<StratusClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            var options = await ConnectionSettings.ResolveAsync(Environment, cancellationToken);
            _http = Environment.HttpHandler is { } handler
                ? new HttpClient(handler(), disposeHandler: true) { Timeout = options.Timeout }
                : StratusClient.CreateHttpClient(options);
            _client = new StratusClient(_http, options);
        }

        return _client;
    }

    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, Time, cancellationToken);

    public void Dispose() => _http?.Dispose();
}
