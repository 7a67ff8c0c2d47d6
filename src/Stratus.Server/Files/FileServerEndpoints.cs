using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Server.Auth;

namespace Stratus.Server.Files;

/// <summary>
/// <c>GET /resources/...</c>: Cloudify's file server rules. Tenant folders (<c>blueprints/</c>,
/// <c>uploaded-blueprints/</c>, <c>deployments/</c>, <c>tenant-resources/</c>) are readable only from their own
/// tenant; the path is resolved segment by segment and must stay under the root.
/// </summary>
internal static class FileServerEndpoints
{
    private static readonly string[] TenantFolders = ["blueprints", "uploaded-blueprints", "deployments", "tenant-resources"];

    public static IEndpointRouteBuilder MapFileServer(this IEndpointRouteBuilder app)
    {
        app.MapGet("/resources/{**path}", Get);
        return app;
    }

    private static PhysicalFileHttpResult Get(string? path, Caller caller, ResourceLayout layout)
    {
        var segments = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(s => s is "." or ".." || s.Contains('\\', StringComparison.Ordinal) || s.Contains('\0', StringComparison.Ordinal))
            || segments[0].StartsWith('.'))
        {
            throw NotFound();
        }

        if (TenantFolders.Contains(segments[0]) && (segments.Length < 2 || segments[1] != caller.Tenant))
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to access this resource from tenant `{caller.Tenant}`");
        }

        var full = Path.GetFullPath(Path.Combine([layout.Root, .. segments]));
        if (!full.StartsWith(layout.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full)
            || new FileInfo(full).LinkTarget is not null)
        {
            throw NotFound();
        }

        return TypedResults.PhysicalFile(full, "application/octet-stream", enableRangeProcessing: true);
    }

    private static StratusException NotFound() =>
        StratusException.NotFound("Requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.");
}
