namespace Stratus.Agent.Installer.Remote;

/// <summary>A remote command's exit status and output.</summary>
internal sealed record RemoteResult(int ExitStatus, string Output, string Error)
{
    public bool Succeeded => ExitStatus == 0;
}
