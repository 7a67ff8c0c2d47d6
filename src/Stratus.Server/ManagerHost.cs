using Microsoft.AspNetCore.Builder;

namespace Stratus.Server;

/// <summary>The composition root: builds the manager (REST, file server, workflow engine, in-process agent).</summary>
public static class ManagerHost
{
    /// <summary>Builds a manager ready to <c>RunAsync</c>; it listens on <see cref="ManagerOptions.Host"/>:<see cref="ManagerOptions.Port"/>.</summary>
    public static WebApplication Build(ManagerOptions options, TextWriter? console = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException("Stratus.Server: ManagerHost.Build is being written.");
    }
}
