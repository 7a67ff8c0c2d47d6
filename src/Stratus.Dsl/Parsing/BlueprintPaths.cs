namespace Stratus.Dsl.Parsing;

/// <summary>
/// Keeps imports and script resources inside the blueprint's directory: a relative path, an absolute path or a
/// symbolic link that leads elsewhere on the manager's disk is treated as absent.
/// </summary>
internal static class BlueprintPaths
{
    public static string? ResolveInside(string root, string baseDirectory, string relative)
    {
        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(baseDirectory, relative));
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }

        return IsInside(root, full) && File.Exists(full) && !LeavesThroughLink(root, full) ? full : null;
    }

    public static bool IsInside(string root, string full)
    {
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static bool LeavesThroughLink(string root, string full)
    {
        var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
        if (target is not null && !IsInside(root, Path.GetFullPath(target.FullName)))
        {
            return true;
        }

        for (var dir = Path.GetDirectoryName(full); dir is not null && IsInside(root, dir); dir = Path.GetDirectoryName(dir))
        {
            var link = new DirectoryInfo(dir).ResolveLinkTarget(returnFinalTarget: true);
            if (link is not null && !IsInside(root, Path.GetFullPath(link.FullName)))
            {
                return true;
            }
        }

        return false;
    }
}
