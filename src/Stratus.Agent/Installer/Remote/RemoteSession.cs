using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using Stratus.Agent.Tasks;

namespace Stratus.Agent.Installer.Remote;

/// <summary>
/// One SSH connection to an agent's host (SSH.NET): commands over an exec channel, files over SFTP. The host key is
/// checked during the key exchange against <see cref="RemoteAgentConfig.ExpectedFingerprint"/>; the key and password
/// stay inside SSH.NET and never reach a message.
/// </summary>
internal sealed class RemoteSession : IDisposable
{
    private readonly SshClient _ssh;
    private readonly SftpClient _sftp;

    private RemoteSession(SshClient ssh, SftpClient sftp, string fingerprint)
    {
        _ssh = ssh;
        _sftp = sftp;
        Fingerprint = fingerprint;
    }

    /// <summary>The host key's fingerprint, <c>SHA256:</c> form.</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// Connects and authenticates. Throws <see cref="RemoteUnreachableException"/> when the host cannot be reached or
    /// refuses the credentials (worth retrying), and a non-recoverable <see cref="OperationException"/> when its host
    /// key is not the expected one.
    /// </summary>
    public static async Task<RemoteSession> ConnectAsync(RemoteAgentConfig config, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? presented = null;
        var refused = false;
        void OnHostKey(object? sender, HostKeyEventArgs e)
        {
            presented = HostKeyCheck.Normalize(e.FingerPrintSHA256);
            e.CanTrust = HostKeyCheck.Accepts(config.ExpectedFingerprint, presented);
            refused |= !e.CanTrust;
        }

        ConnectionInfo connection;
        try
        {
            connection = Connection(config, timeout);
        }
        catch (SshException e)
        {
            throw OperationException.NonRecoverable(
                $"agent_config.key of node instance {config.InstanceId} is not a private key Stratus can use "
                + $"(OpenSSH or PEM, RSA, ECDSA or Ed25519, without a passphrase): {e.GetType().Name}");
        }

        var ssh = new SshClient(connection);
        var sftp = new SftpClient(connection);
        ssh.HostKeyReceived += OnHostKey;
        sftp.HostKeyReceived += OnHostKey;
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(timeout);
            await ssh.ConnectAsync(bounded.Token);
            await sftp.ConnectAsync(bounded.Token);
            return new RemoteSession(ssh, sftp, presented ?? throw new RemoteUnreachableException("the server presented no host key"));
        }
        catch (Exception e) when (refused)
        {
            Dispose(ssh, sftp);
            throw OperationException.NonRecoverable(HostKeyCheck.Refusal(config, presented ?? "unknown") + $" ({e.GetType().Name})");
        }
        catch (Exception e) when (e is SshException or SocketException or IOException or ProxyException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Dispose(ssh, sftp);
            throw new RemoteUnreachableException(Describe(e), e);
        }
        catch
        {
            Dispose(ssh, sftp);
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> with <c>sh -c</c> semantics; returns the exit status and output.</summary>
    public async Task<RemoteResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var run = _ssh.CreateCommand(command, Encoding.UTF8);
        run.CommandTimeout = timeout;
        try
        {
            await run.ExecuteAsync(cancellationToken);
        }
        catch (SshOperationTimeoutException)
        {
            return new RemoteResult(-1, run.Result, $"timed out after {timeout.TotalSeconds:0} s");
        }

        return new RemoteResult(run.ExitStatus ?? -1, run.Result, run.Error);
    }

    public async Task UploadAsync(Stream content, string path, CancellationToken cancellationToken) =>
        await _sftp.UploadFileAsync(content, path, cancellationToken);

    public void Dispose() => Dispose(_ssh, _sftp);

    private static void Dispose(SshClient ssh, SftpClient sftp)
    {
        sftp.Dispose();
        ssh.Dispose();
    }

    private static ConnectionInfo Connection(RemoteAgentConfig config, TimeSpan timeout)
    {
        var methods = new List<AuthenticationMethod>();
        if (config.Key is { } key)
        {
            using var keyStream = new MemoryStream(Encoding.UTF8.GetBytes(key));
            methods.Add(new PrivateKeyAuthenticationMethod(config.User, new PrivateKeyFile(keyStream)));
        }

        if (config.Password is { } password)
        {
            methods.Add(new PasswordAuthenticationMethod(config.User, password));
        }

        return new ConnectionInfo(config.Host, config.Port, config.User, [.. methods]) { Timeout = timeout };
    }

    private static string Describe(Exception e) => e switch
    {
        SshAuthenticationException => "authentication refused (wrong key, password or user)",
        SocketException s => $"{s.SocketErrorCode}",
        OperationCanceledException or SshOperationTimeoutException => "no answer in time",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
