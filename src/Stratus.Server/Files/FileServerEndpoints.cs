using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Server.Auth;
using Stratus.Storage;

namespace Stratus.Server.Files;

/// <summary>
/// <c>GET /resources/...</c>: Cloudify's file server. Tenant rules in <see cref="FileServerAccess"/>; the path is taken
/// segment by segment (no dot segments, backslashes, control characters or upload staging folders) and every folder
/// on the way and the file itself must be real (no links) and under the root. Uploaded files (blueprints, their
/// archives, plugins, deployments) come from the database through <see cref="ResourceCache"/>.
/// </summary>
internal static class FileServerEndpoints
{
    public static IEndpointRouteBuilder MapFileServer(this IEndpointRouteBuilder app)
    {
        app.MapGet("/resources/{**path}", GetAsync);
        return app;
    }

    private static async Task<PhysicalFileHttpResult> GetAsync(
        string? path, Caller caller, ResourceLayout layout, ResourceCache cache, IStratusStore store, CancellationToken cancellationToken)
    {
        var segments = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(s => s is "." or ".." || s.StartsWith(".uploading", StringComparison.Ordinal) || s.Any(c => c == '\\' || char.IsControl(c)))
            || segments[0].StartsWith('.') || (FileServerAccess.IsTenantFolder(segments[0]) && segments.Length < 2))
        {
            throw NotFound();
        }

        await FileServerAccess.CheckAsync(segments, caller, store, cancellationToken);
        if (StoredOwner(segments) is var (owner, relative) && await cache.EnsureFileAsync(owner, relative, cancellationToken) is null)
        {
            throw NotFound();
        }

        var full = Path.GetFullPath(Path.Combine([layout.Root, .. segments]));
        if (!full.StartsWith(layout.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full) || PassesALink(layout.Root, full))
        {
            throw NotFound();
        }

        return TypedResults.PhysicalFile(full, "application/octet-stream", enableRangeProcessing: true);
    }

    /// <summary>The stored tree a path is in (uploaded files live in the database; the folder is a cache) and the path within it.</summary>
    private static (ResourceOwner Owner, string Relative)? StoredOwner(string[] segments) => segments switch
    {
        ["plugins", var id, _, ..] => (ResourceOwner.Plugin(null, id), string.Join('/', segments[2..])),
        [ResourceKinds.Blueprint or ResourceKinds.UploadedBlueprint or ResourceKinds.Deployment, var tenant, var id, _, ..] =>
            (new ResourceOwner(tenant, segments[0], id), string.Join('/', segments[3..])),
        _ => null,
    };

    /// <summary>True when the file or any folder between it and the root is a symbolic link (which could lead anywhere).</summary>
    private static bool PassesALink(string root, string full)
    {
        for (var current = full; current.Length > root.Length; current = Path.GetDirectoryName(current)!)
        {
            FileSystemInfo info = current == full ? new FileInfo(current) : new DirectoryInfo(current);
            if (info.LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static StratusException NotFound() =>
        StratusException.NotFound("Requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.");
}
