using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Agent.Tasks;

namespace Stratus.Agent.Installer.Remote;

/// <summary>
/// How to reach a host and run its agent, resolved as cloudify-agent's <c>CloudifyAgentConfig</c>: the node's
/// <c>agent_config</c> (overlaid by the deprecated <c>cloudify_agent</c> property), then the instance's runtime
/// <c>agent_config</c>/<c>cloudify_agent</c>, then the operation's inputs, each level's <c>extra</c> flattened into
/// it; the address is the runtime property <c>ip</c>, else the node property <c>ip</c>, else the config's <c>ip</c>
/// (the password likewise). Never printed with its key or password (<see cref="ToString"/>).
/// </summary>
internal sealed partial record RemoteAgentConfig
{
    public const string FingerprintKey = "ssh_host_key_fingerprint";

    public required string Name { get; init; }

    public required string InstanceId { get; init; }

    public required string Host { get; init; }

    public int Port { get; init; } = 22;

    public required string User { get; init; }

    /// <summary>The private key's text (OpenSSH or PEM), read from a path on the manager when the config named one.</summary>
    public string? Key { get; init; }

    public string? Password { get; init; }

    /// <summary>Under which <c>.stratus-agent/&lt;name&gt;</c> is made; null: the user's home.</summary>
    public string? BaseDir { get; init; }

    /// <summary><c>systemd</c>, <c>detach</c>, or null to choose on the host.</summary>
    public string? ProcessManagement { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The host key expected (pinned in <c>extra</c> or recorded by an earlier create), <c>SHA256:</c> form; null: trust on first use.</summary>
    public string? ExpectedFingerprint { get; init; }

    public string Destination => $"{User}@{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() =>
        $"RemoteAgentConfig {{ Name = {Name}, Destination = {Destination}, Key = {(Key is null ? "none" : "***")}, Password = {(Password is null ? "none" : "***")} }}";

    /// <summary>
    /// Resolves the config of agent <paramref name="name"/> on host instance <paramref name="instanceId"/>;
    /// <paramref name="node"/> holds the node's <c>agent_config</c>, <c>cloudify_agent</c>, <c>ip</c> and <c>password</c>
    /// properties. A missing or malformed setting is a non-recoverable error naming the node and where to set it.
    /// </summary>
    public static RemoteAgentConfig Resolve(
        string name, string instanceId, string nodeName, JsonObject node, JsonObject runtime, JsonObject inputs, Func<string, string> readKeyFile)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(readKeyFile);
        var config = new JsonObject();
        foreach (var level in new[] { node, runtime, inputs })
        {
            Overlay(config, level["agent_config"] as JsonObject);
            Overlay(config, level["cloudify_agent"] as JsonObject);
        }

        string Where(string key) =>
            $"{key} must be set for node instance {instanceId} of node '{nodeName}' (install_method remote) in one of: "
            + $"{nodeName}.properties.agent_config, {instanceId}.runtime_properties.cloudify_agent, or the create operation's agent_config input";

        var host = Text(runtime["ip"]) ?? Text(node["ip"]) ?? Text(config["ip"]) ?? throw OperationException.NonRecoverable(Where("ip"));
        var user = Text(config["user"]) ?? throw OperationException.NonRecoverable(Where("user"));
        var password = Text(runtime["password"]) ?? Text(node["password"]) ?? Text(config["password"]);
        var key = Text(config["key"]);
        if (key is null && password is null)
        {
            throw OperationException.NonRecoverable(Where("key or password"));
        }

        if (key is not null && !key.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            key = ReadKey(key, readKeyFile, instanceId, nodeName);
        }

        return new RemoteAgentConfig
        {
            Name = name,
            InstanceId = instanceId,
            Host = host,
            Port = PortOf(config["port"], instanceId, nodeName),
            User = user,
            Key = key,
            Password = password,
            BaseDir = Text(config["basedir"]),
            ProcessManagement = ProcessManagementOf(config["process_management"], instanceId, nodeName),
            Env = EnvOf(config["env"], instanceId, nodeName),
            ExpectedFingerprint = Text(config[FingerprintKey]) is { } fingerprint ? HostKeyCheck.Normalize(fingerprint) : null,
        };
    }

    private static void Overlay(JsonObject config, JsonObject? level)
    {
        if (level is null)
        {
            return;
        }

        foreach (var (key, value) in level)
        {
            if (key != "extra")
            {
                config[key] = value?.DeepClone();
            }
        }

        foreach (var (key, value) in level["extra"] as JsonObject ?? [])
        {
            config[key] = value?.DeepClone();
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s : null;

    private static string ReadKey(string path, Func<string, string> readKeyFile, string instanceId, string nodeName)
    {
        try
        {
            return readKeyFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // The path is not secret; the exception text may be localized noise, its type is enough.
            throw OperationException.NonRecoverable(
                $"agent_config.key of node instance {instanceId} of node '{nodeName}' is neither a private key nor a file the manager can read: {path} ({e.GetType().Name})");
        }
    }

    private static int PortOf(JsonNode? node, string instanceId, string nodeName)
    {
        if (node is null)
        {
            return 22;
        }

        var text = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw OperationException.NonRecoverable($"agent_config.port of node instance {instanceId} of node '{nodeName}' must be a TCP port (1-65535), got {text}");
    }

    private static string? ProcessManagementOf(JsonNode? node, string instanceId, string nodeName)
    {
        var name = Text((node as JsonObject)?["name"]) ?? Text(node);
        return name switch
        {
            null => null,
            "systemd" or "detach" => name,
            _ => throw OperationException.NonRecoverable(
                $"agent_config.process_management.name '{name}' of node instance {instanceId} of node '{nodeName}' is not supported: use systemd or detach"),
        };
    }

    private static Dictionary<string, string> EnvOf(JsonNode? node, string instanceId, string nodeName)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in node as JsonObject ?? [])
        {
            var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
            if (!EnvName().IsMatch(key) || text.Contains('\'', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal) || text.Contains('\0', StringComparison.Ordinal))
            {
                // The value is not repeated: it may hold a secret.
                throw OperationException.NonRecoverable(
                    $"agent_config.env.{key} of node instance {instanceId} of node '{nodeName}' cannot be set: names are letters, digits and '_', values hold no quote (') or line break");
            }

            env[key] = text;
        }

        return env;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();
}
