namespace Stratus.Agent;

/// <summary>
/// What the manager's agent needs to install agents on hosts over SSH (<c>install_method: remote</c>). Only the
/// manager's in-process agent fills these; a standalone agent never installs others.
/// </summary>
public sealed class RemoteInstallOptions
{
    /// <summary>
    /// The tarball to install (<c>manager start --agent-package</c>), e.g. a self-contained build; null: a tarball of the
    /// running manager's own binaries (framework-dependent: the host needs the <c>dotnet</c> runtime), made once and
    /// cached in <see cref="PackageCacheDirectory"/>.
    /// </summary>
    public string? PackagePath { get; set; }

    /// <summary>Where the manager keeps the tarball of its own binaries (<c>&lt;data-dir&gt;/packages/agents</c>).</summary>
    public string PackageCacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "stratus-agent-packages");

    /// <summary>The managers' REST URLs as the hosts reach them, written into each installed agent's environment.</summary>
    public IList<Uri> ManagerUrls { get; } = [];

    /// <summary>The broker the installed agents use (the managers' RabbitMQ); null: remote installs are refused.</summary>
    public string? BrokerUrl { get; set; }

    /// <summary>How long one SSH connection attempt (TCP, key exchange, authentication) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a stopping agent gets to exit before it is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one remote command (extracting the package, systemctl) may take.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public override string ToString() =>
        $"RemoteInstallOptions {{ PackagePath = {PackagePath ?? "(own binaries)"}, ManagerUrls = {string.Join(",", ManagerUrls)}, BrokerUrl = {(BrokerUrl is null ? "null" : "***")} }}";
}
