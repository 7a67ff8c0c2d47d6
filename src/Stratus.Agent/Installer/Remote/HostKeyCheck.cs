namespace Stratus.Agent.Installer.Remote;

/// <summary>
/// SSH host key fingerprints as OpenSSH prints them (<c>SHA256:</c> and unpadded base64). Cloudify accepts any host
/// key; Stratus trusts the first one it sees, records it, and refuses a different one later (or any but a pinned one).
/// </summary>
internal static class HostKeyCheck
{
    public const string Prefix = "SHA256:";

    /// <summary><c>SHA256:abc</c>, <c>abc</c> or <c>abc=</c> all become <c>SHA256:abc</c>.</summary>
    public static string Normalize(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var text = fingerprint.Trim();
        if (text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[Prefix.Length..];
        }

        return Prefix + text.TrimEnd('=');
    }

    /// <summary>True when nothing is expected yet (first use) or the presented key is the expected one.</summary>
    public static bool Accepts(string? expected, string presented) =>
        expected is null || string.Equals(Normalize(expected), Normalize(presented), StringComparison.Ordinal);

    public static string Refusal(RemoteAgentConfig config, string presented) =>
        $"The SSH host key of {config.Host}:{config.Port} (agent {config.Name}, node instance {config.InstanceId}) is {Normalize(presented)}, "
        + $"but {config.ExpectedFingerprint} was recorded or pinned for it; refusing to connect. If the host was rebuilt on purpose, remove "
        + $"runtime_properties.cloudify_agent.{RemoteAgentConfig.FingerprintKey} of {config.InstanceId} (or update the pinned "
        + $"agent_config.extra.{RemoteAgentConfig.FingerprintKey})";
}
