using System.Collections.Concurrent;
using Stratus.Storage;

namespace Stratus.Server.Files;

/// <summary>
/// The local <c>&lt;data-dir&gt;/resources</c> folder as a cache of the files stored in the database. A tree (one
/// blueprint, uploaded archive, plugin or deployment) is valid while its marker, <c>.cache/&lt;kind&gt;/...</c>, names
/// the generation the database holds; one indexed row read per use checks that, so a blueprint deleted and uploaded
/// again on another manager is never served from an older copy. A stale tree is moved aside whole; files are then
/// written from the database one by one (temp file + rename), under a per-tree gate so concurrent requests fetch each
/// file once. Managers sharing one folder (an older set-up) stay safe: every step is a rename.
/// </summary>
internal sealed class ResourceCache(IStratusStore store, ResourceLayout layout)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>Where <paramref name="owner"/>'s files live locally (the file server's layout).</summary>
    public string TreePath(ResourceOwner owner) => owner.Kind switch
    {
        ResourceKinds.Blueprint => layout.Blueprint(Tenant(owner), owner.Id),
        ResourceKinds.UploadedBlueprint => layout.UploadedBlueprint(Tenant(owner), owner.Id),
        ResourceKinds.Deployment => layout.Deployment(Tenant(owner), owner.Id),
        ResourceKinds.Plugin => layout.Plugin(owner.Id),
        _ => throw new ArgumentException($"Unknown resource kind `{owner.Kind}`", nameof(owner)),
    };

    /// <summary>
    /// The local path of one stored file, fetched first when missing or stale; null when the database holds no such
    /// file (or nothing for the owner, in which case a leftover local copy is removed).
    /// </summary>
    public async Task<string?> EnsureFileAsync(ResourceOwner owner, string relativePath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var target = Inside(TreePath(owner), relativePath);
        if (target is null)
        {
            return null;
        }

        // A tree replaced between the generation read and the copy is read again once.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var generation = await store.GetResourceGenerationAsync(owner, cancellationToken);
            if (generation is null)
            {
                await DropIfCachedAsync(owner, cancellationToken);
                return null;
            }

            if (ReadMarker(owner) == generation && File.Exists(target))
            {
                return target;
            }

            var gate = Gate(owner);
            await gate.WaitAsync(cancellationToken);
            try
            {
                Prepare(owner, generation);
                if (File.Exists(target) || await FetchAsync(owner, generation, relativePath, target, cancellationToken))
                {
                    return target;
                }
            }
            finally
            {
                gate.Release();
            }
        }

        return null;
    }

    /// <summary>The local folder of the whole tree, every stored file fetched; null when the database holds nothing for it.</summary>
    public async Task<string?> EnsureTreeAsync(ResourceOwner owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var folder = TreePath(owner);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var files = await store.ListResourceFilesAsync(owner, cancellationToken);
            if (files.Count == 0)
            {
                await DropIfCachedAsync(owner, cancellationToken);
                return null;
            }

            var generation = files[0].Generation;
            var paths = files.Select(f => (f.Path, Full: Inside(folder, f.Path))).Where(f => f.Full is not null).ToList();
            if (ReadMarker(owner) == generation && paths.All(f => File.Exists(f.Full)))
            {
                return folder;
            }

            var gate = Gate(owner);
            await gate.WaitAsync(cancellationToken);
            try
            {
                Prepare(owner, generation);
                var complete = true;
                foreach (var (path, full) in paths)
                {
                    complete &= File.Exists(full) || await FetchAsync(owner, generation, path, full!, cancellationToken);
                }

                if (complete)
                {
                    return folder;
                }
            }
            finally
            {
                gate.Release();
            }
        }

        return null;
    }

    /// <summary>
    /// Makes <paramref name="staged"/> (files just stored as <paramref name="generation"/>) the local copy, by rename;
    /// best effort, since any manager can fetch the files from the database instead.
    /// </summary>
    public async Task AdoptAsync(ResourceOwner owner, string generation, string staged, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var gate = Gate(owner);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var folder = TreePath(owner);
            MoveAside(folder);
            Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            Directory.Move(staged, folder);
            WriteMarker(owner, generation);
        }
        catch (IOException)
        {
            // Left to be fetched from the database on first use.
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Records that the local folder of <paramref name="owner"/> holds <paramref name="generation"/> (files imported from it).</summary>
    public void MarkCurrent(ResourceOwner owner, string generation) => WriteMarker(owner, generation);

    /// <summary>Every regular file under <paramref name="folder"/> (no links), with its path relative to it in forward slashes.</summary>
    public static IReadOnlyList<ResourceFileSource> FilesOf(string folder)
    {
        var files = new List<ResourceFileSource>();
        Collect(new DirectoryInfo(folder), "", files);
        return files;
    }

    private static void Collect(DirectoryInfo folder, string prefix, List<ResourceFileSource> files)
    {
        foreach (var file in folder.EnumerateFiles().Where(f => f.LinkTarget is null).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var full = file.FullName;
            files.Add(new ResourceFileSource(prefix + file.Name, () => new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan)));
        }

        foreach (var sub in folder.EnumerateDirectories().Where(d => d.LinkTarget is null).OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            Collect(sub, prefix + sub.Name + "/", files);
        }
    }

    /// <summary>Under the gate: a tree whose marker names another generation is moved aside whole and re-marked.</summary>
    private void Prepare(ResourceOwner owner, string generation)
    {
        if (ReadMarker(owner) == generation)
        {
            return;
        }

        MoveAside(TreePath(owner));
        WriteMarker(owner, generation);
    }

    private async Task DropIfCachedAsync(ResourceOwner owner, CancellationToken cancellationToken)
    {
        if (ReadMarker(owner) is null)
        {
            return;
        }

        var gate = Gate(owner);
        await gate.WaitAsync(cancellationToken);
        try
        {
            MoveAside(TreePath(owner));
            File.Delete(MarkerPath(owner));
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<bool> FetchAsync(ResourceOwner owner, string generation, string relativePath, string target, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(CacheRoot, "tmp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(temporary)!);
        try
        {
            bool found;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                found = await store.CopyResourceFileAsync(owner, generation, relativePath, file, cancellationToken);
            }

            if (!found)
            {
                return false;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(temporary, target, overwrite: true);
            return true;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private void MoveAside(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        var trash = Path.Combine(CacheRoot, "trash", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
        Directory.Move(folder, trash);
        try
        {
            Directory.Delete(trash, recursive: true);
        }
        catch (IOException)
        {
            // Out of every path served; removed with the next tree moved aside or left for the operator.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    private string? ReadMarker(ResourceOwner owner)
    {
        try
        {
            return File.ReadAllText(MarkerPath(owner));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private void WriteMarker(ResourceOwner owner, string generation)
    {
        var marker = MarkerPath(owner);
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        var temporary = marker + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, generation);
        File.Move(temporary, marker, overwrite: true);
    }

    private string CacheRoot => Path.Combine(layout.Root, ".cache");

    private string MarkerPath(ResourceOwner owner) => owner.Kind == ResourceKinds.Plugin
        ? Path.Combine(CacheRoot, owner.Kind, owner.Id)
        : Path.Combine(CacheRoot, owner.Kind, Tenant(owner), owner.Id);

    private SemaphoreSlim Gate(ResourceOwner owner) =>
        _gates.GetOrAdd(owner.Kind + "/" + (owner.Kind == ResourceKinds.Plugin ? "" : owner.Tenant) + "/" + owner.Id, _ => new SemaphoreSlim(1, 1));

    private static string Tenant(ResourceOwner owner) => owner.Tenant ?? throw new ArgumentException($"A {owner.Kind} tree needs a tenant", nameof(owner));

    /// <summary>The full path of <paramref name="relativePath"/> in <paramref name="folder"/>; null when it would leave it.</summary>
    private static string? Inside(string folder, string relativePath)
    {
        var segments = relativePath.Split('/');
        if (relativePath.Length == 0 || segments.Any(s => s is "" or "." or ".." || s.Contains('\\', StringComparison.Ordinal)))
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine([folder, .. segments]));
        return full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }
}
