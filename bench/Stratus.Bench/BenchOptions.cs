using System.Globalization;

namespace Stratus.Bench;

internal sealed record BenchOptions
{
    public string Url { get; private init; } = Environment.GetEnvironmentVariable("STRATUS_MANAGER_URL") ?? "http://127.0.0.1:8100";

    public string User { get; private init; } = Environment.GetEnvironmentVariable("STRATUS_USERNAME") ?? "admin";

    public string Password { get; private init; } = Environment.GetEnvironmentVariable("STRATUS_PASSWORD") ?? "admin";

    public int Nodes { get; private init; } = 1000;

    public int Chain { get; private init; } = 10;

    public string? Positional { get; private init; }

    public int Iterations { get; private init; } = 10;

    public string? Only { get; private init; }

    /// <summary>Deployments (b3, b8) and executions (b8) to create.</summary>
    public int Deployments { get; private init; } = 1000;

    public int Executions { get; private init; } = 10_000;

    /// <summary>Instances per node (b5): --nodes x --instances node instances.</summary>
    public int Instances { get; private init; } = 100;

    /// <summary>Concurrent event senders (b6).</summary>
    public int Senders { get; private init; } = 50;

    /// <summary>Events per POST (b6; agents send up to 100).</summary>
    public int Batch { get; private init; } = 100;

    /// <summary>
    /// How b6 --broker-url senders shape messages: <c>batch</c> (Stratus's agents: a batch's events in one message and its
    /// logs in another, JSON arrays) or <c>line</c> (Cloudify's senders: one message per line).
    /// </summary>
    public string Wire { get; private init; } = "batch";

    /// <summary>
    /// The offered load of b6 --broker-url in events a second over all senders, or null for as fast as confirms come
    /// back. A paced sender publishes batch k at k times its share's interval from the start, at once when behind.
    /// </summary>
    public int? Rate { get; private init; }

    /// <summary>
    /// b6 --broker-url: the first seconds of the run, whose marked lines are left out of "until visible" (a manager just
    /// started runs its hot paths unoptimized for its first seconds: tiered JIT, fresh connections). The load is sent
    /// and counted as usual.
    /// </summary>
    public TimeSpan Warmup { get; private init; } = TimeSpan.Zero;

    /// <summary>How long the senders send (b6).</summary>
    public TimeSpan Duration { get; private init; } = TimeSpan.FromSeconds(20);

    /// <summary>The manager's process id, to read its peak memory from /proc (Linux).</summary>
    public int? Pid { get; private init; }

    /// <summary>The manager's RabbitMQ (b12's simulated agents consume from it).</summary>
    public string? BrokerUrl { get; private init; }

    /// <summary>Simulated agents (b12), one Compute host and one operation each.</summary>
    public int Agents { get; private init; } = 2000;

    /// <summary>Agents (one channel each) per AMQP connection (b12); RabbitMQ's channel_max is 2,047.</summary>
    public int AgentsPerConnection { get; private init; } = 500;

    /// <summary>Agent REST calls and queue declarations in flight at once (b12).</summary>
    public int Parallelism { get; private init; } = 16;

    /// <summary>Each simulated agent's heartbeat interval (b12).</summary>
    public TimeSpan Heartbeat { get; private init; } = TimeSpan.FromSeconds(10);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--url" => options with { Url = Next() },
                "-u" or "--user" => options with { User = Next() },
                "-p" or "--password" => options with { Password = Next() },
                "--nodes" => options with { Nodes = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--chain" => options with { Chain = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--iterations" => options with { Iterations = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--only" => options with { Only = Next() },
                "--deployments" => options with { Deployments = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--executions" => options with { Executions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--instances" => options with { Instances = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--senders" => options with { Senders = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--batch" => options with { Batch = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--wire" => options with { Wire = Next() switch { "batch" => "batch", "line" => "line", var w => throw new ArgumentException($"--wire takes batch or line, not {w}") } },
                "--rate" => options with { Rate = int.Parse(Next(), CultureInfo.InvariantCulture) is > 0 and var r ? r : throw new ArgumentException("--rate takes a number of events a second above 0") },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture) is >= 0 and var w ? w : throw new ArgumentException("--warmup takes a number of seconds, 0 or more")) },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--broker-url" => options with { BrokerUrl = Next() },
                "--agents" => options with { Agents = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--agents-per-connection" => options with { AgentsPerConnection = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--parallelism" => options with { Parallelism = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--heartbeat" => options with { Heartbeat = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--pid" => options with { Pid = int.Parse(Next(), CultureInfo.InvariantCulture) },
                var a when !a.StartsWith('-') && options.Positional is null => options with { Positional = a },
                var a => throw new ArgumentException($"unknown option {a}"),
            };
        }

        return options;
    }
}
