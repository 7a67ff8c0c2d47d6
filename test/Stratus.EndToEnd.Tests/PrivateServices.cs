using System.Diagnostics;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// A PostgreSQL server and a RabbitMQ node of this test's own (scripts/test-services.sh start), so it can restart them
/// without disturbing the suites that share the run's services. Available where the run's services were provisioned
/// (STRATUS_TEST_POSTGRES and STRATUS_TEST_RABBITMQ set); otherwise the test skips, or fails when CI=true.
/// </summary>
internal sealed class PrivateServices : IAsyncDisposable
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "scripts", "test-services.sh");
    private readonly Dictionary<string, string> _variables;

    private PrivateServices(Dictionary<string, string> variables) => _variables = variables;

    public string PostgresConnectionString => _variables["STRATUS_TEST_POSTGRES"];

    public string RabbitMqUrl => _variables["STRATUS_TEST_RABBITMQ"];

    /// <summary>The node's management API (with credentials), when the start printed it.</summary>
    public Uri? RabbitMqManagementUrl =>
        _variables.TryGetValue("STRATUS_TEST_RABBITMQ_MANAGEMENT", out var url) && !string.IsNullOrEmpty(url) ? new Uri(url) : null;

    public static string? UnavailableReason =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("STRATUS_TEST_POSTGRES"))
        || string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("STRATUS_TEST_RABBITMQ"))
            ? "PostgreSQL and RabbitMQ were not provisioned: STRATUS_TEST_POSTGRES / STRATUS_TEST_RABBITMQ are not set (run `source scripts/test-services.sh start` first)"
            : null;

    /// <summary>Starts a private pair, or stops the test: skipped locally, failed on CI.</summary>
    public static async Task<PrivateServices> StartAsync()
    {
        TestServices.Require(UnavailableReason);

        var (code, output, errors) = await RunAsync(new Dictionary<string, string>(), "start");
        if (code != 0)
        {
            throw new InvalidOperationException($"test-services.sh start exited {code}: {errors}");
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // export NAME=VALUE, the value quoted by printf %q (our values have no characters it escapes).
            var text = line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line;
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                variables[text[..eq]] = text[(eq + 1)..].Replace("\\", "", StringComparison.Ordinal).Trim('\'');
            }
        }

        var services = new PrivateServices(variables);
        if (!variables.ContainsKey("STRATUS_TEST_POSTGRES") || !variables.ContainsKey("STRATUS_TEST_RABBITMQ"))
        {
            await services.DisposeAsync();
            throw new InvalidOperationException($"test-services.sh start printed no connection settings: {output}");
        }

        return services;
    }

    public Task RestartPostgresAsync() => VerbAsync("restart-postgres");

    /// <summary>Stops PostgreSQL, keeps it down for <paramref name="down"/> (whole seconds), then starts it on the same port.</summary>
    public Task RestartPostgresAsync(TimeSpan down) =>
        VerbAsync("restart-postgres", ((int)Math.Ceiling(down.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task RestartRabbitMqAsync() => VerbAsync("restart-rabbitmq");

    public async ValueTask DisposeAsync()
    {
        // Without both folders the script would stop every service it started, the run's own included.
        if (_variables.ContainsKey("STRATUS_TEST_POSTGRES_DIR") && _variables.ContainsKey("STRATUS_TEST_RABBITMQ_DIR"))
        {
            await RunAsync(_variables, "stop");
        }
    }

    private async Task VerbAsync(string verb, params string[] arguments)
    {
        var (code, _, errors) = await RunAsync(_variables, verb, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"test-services.sh {verb} exited {code}: {errors}");
        }
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(Dictionary<string, string> variables, string verb, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(verb);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Only PostgreSQL and RabbitMQ: a test's private pair needs no sshd.
        start.Environment["STRATUS_TEST_SERVICES"] = "postgres rabbitmq";
        foreach (var name in new[]
        {
            "STRATUS_TEST_POSTGRES", "STRATUS_TEST_POSTGRES_DIR", "STRATUS_TEST_RABBITMQ", "STRATUS_TEST_RABBITMQ_DIR",
            "STRATUS_TEST_RABBITMQ_MANAGEMENT", "STRATUS_TEST_SSHD", "STRATUS_TEST_SSHD_DIR", "STRATUS_TEST_SYSTEMD", "STRATUS_TEST_SYSTEMD_SUDO",
            "STRATUS_TEST_SYSTEMD_DIR",
        })
        {
            // Only this pair: the run's own services (its sshd and systemd included) must never be the target of a stop or restart from here.
            start.Environment.Remove(name);
            if (variables.TryGetValue(name, out var value))
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var bounded = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(bounded.Token);
        return (process.ExitCode, await output, await errors);
    }
}
