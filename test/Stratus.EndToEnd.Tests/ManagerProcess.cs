using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stratus.Client;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// The real manager: <c>dotnet stratus.dll manager start</c> on a free port with a private data dir. Started once
/// for the test collection and killed (with its children) at the end, whatever happened.
/// </summary>
public sealed class ManagerProcess : IAsyncLifetime
{
    public const string AdminPassword = "e2e-admin-pw";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private ProcessOutput _output = new();
    private string _earlierOutput = "";
    private readonly IReadOnlyList<string> _extraArguments;
    private Process? _process;
    private HttpClient? _http;

    public ManagerProcess()
        : this([])
    {
    }

    /// <summary>A manager started with extra <c>manager start</c> flags (e.g. <c>--storage postgresql</c>).</summary>
    internal ManagerProcess(IReadOnlyList<string> extraArguments)
        : this(extraArguments, null)
    {
    }

    /// <summary>A manager on the given data dir (kept after it stops), or on a private one when null.</summary>
    internal ManagerProcess(IReadOnlyList<string> extraArguments, string? sharedDataDir)
    {
        _extraArguments = extraArguments;
        _ownsDataDir = sharedDataDir is null;
        DataDir = sharedDataDir ?? Directory.CreateTempSubdirectory("stratus-e2e-data-").FullName;
    }

    private readonly bool _ownsDataDir;

    public string DataDir { get; }

    /// <summary>Scratch space for what the blueprints write (page folders), removed at the end.</summary>
    public string WorkDir { get; } = Directory.CreateTempSubdirectory("stratus-e2e-work-").FullName;

    public int Port { get; } = FreePort();

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>Everything the manager printed, across restarts.</summary>
    public string Output => _earlierOutput + _output.Text;

    public StratusClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _earlierOutput += _output.Text;
        _output = new ProcessOutput();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = [RepoPaths.CliDll, "manager", "start", "--port", $"{Port}", "--data-dir", DataDir, "--admin-password", AdminPassword];
        foreach (var arg in arguments.Concat(_extraArguments))
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => _output.Add(e.Data);
        _process.ErrorDataReceived += (_, e) => _output.Add(e.Data);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.Exited += (_, _) => exited.TrySetResult();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var listening = _output.WaitForLineAsync(l => l.Contains("listening on", StringComparison.OrdinalIgnoreCase));
        Task? first;
        try
        {
            first = await Task.WhenAny(listening, exited.Task).WaitAsync(StartTimeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            first = null;
        }

        if (first != listening)
        {
            var why = first == exited.Task ? $"exited with code {_process.ExitCode}" : $"did not say it was listening within {StartTimeout.TotalSeconds:0} s";
            await KillAsync();
            throw new InvalidOperationException($"manager start on port {Port} {why}. Its output:\n{Output}");
        }

        var options = new StratusClientOptions { BaseAddress = Url, Username = "admin", Password = AdminPassword };
        _http = StratusClient.CreateHttpClient(options);
        Client = new StratusClient(_http, options);
        if (!await Client.Manager.IsOkAsync(TestContext.Current.CancellationToken))
        {
            await KillAsync();
            throw new InvalidOperationException($"manager on port {Port} said it was listening but GET /api/v3.1/ok is not 200. Its output:\n{Output}");
        }
    }

    /// <summary>
    /// kill -9 of the manager process alone, as a crash: the scripts it started are orphaned and go on. The data dir
    /// and port stay for <see cref="RestartAsync"/>.
    /// </summary>
    internal async Task CrashAsync()
    {
        if (_process is null)
        {
            return;
        }

        _process.Kill(entireProcessTree: false);
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(bounded.Token);
        _process.Dispose();
        _process = null;
        _http?.Dispose();
        _http = null;
    }

    /// <summary>Starts the manager again on the same data dir and port (after <see cref="CrashAsync"/>).</summary>
    internal Task RestartAsync() => InitializeAsync().AsTask();

    /// <summary>A client for the same manager with other credentials (e.g. a wrong password).</summary>
    public StratusClient ClientWith(HttpClient http, string password) =>
        new(http, new StratusClientOptions { BaseAddress = Url, Username = "admin", Password = password });

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _http?.Dispose();
        if (_ownsDataDir)
        {
            TryDelete(DataDir);
        }

        TryDelete(WorkDir);
    }

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>kill -9 of the manager process alone (scripts it started are orphaned, as on a real crash).</summary>
    public async Task KillHardAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        _process.Kill(entireProcessTree: false);
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(bounded.Token);
    }

    private async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(bounded.Token);
        }

        _process.Dispose();
        _process = null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A script may still hold a file for a moment; a leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: leave it to the OS temp cleaner.
        }
    }
}
