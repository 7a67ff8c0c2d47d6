using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Stratus.Agent.Installer.Remote;

/// <summary>
/// The tarball installed on hosts: <see cref="RemoteInstallOptions.PackagePath"/> when given, else a tar.gz of the
/// running manager's own binaries (<see cref="AppContext.BaseDirectory"/>), made once per build and cached under
/// <see cref="RemoteInstallOptions.PackageCacheDirectory"/>. Its SHA-256 names it on the host, so a retried install
/// uploads it once.
/// </summary>
internal sealed class AgentPackage(IOptions<AgentOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PackageFile? _built;

    public async Task<PackageFile> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_built is { } known && File.Exists(known.Path))
            {
                return known;
            }

            var remote = options.Value.Remote;
            _built = remote.PackagePath is { } given
                ? new PackageFile(given, await HashAsync(given, cancellationToken))
                : await BuildAsync(AppContext.BaseDirectory, remote.PackageCacheDirectory, cancellationToken);
            return _built;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>A tar.gz of <paramref name="source"/>, named after a digest of its files' names, sizes and times.</summary>
    internal static async Task<PackageFile> BuildAsync(string source, string cacheDirectory, CancellationToken cancellationToken)
    {
        var files = Directory.GetFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var manifest = new StringBuilder();
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            manifest.Append(CultureInfo.InvariantCulture, $"{Path.GetRelativePath(source, file)}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}\n");
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToString())))[..16];
        Directory.CreateDirectory(cacheDirectory);
        var path = Path.Combine(cacheDirectory, $"stratus-agent-{digest}.tar.gz");
        if (!File.Exists(path))
        {
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                await using (var output = File.Create(temporary))
                await using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
                await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
                {
                    foreach (var file in files)
                    {
                        await tar.WriteEntryAsync(file, Path.GetRelativePath(source, file).Replace('\\', '/'), cancellationToken);
                    }
                }

                // checkpoint: the cache holds whole tarballs only; a crash leaves a .tmp file, never a torn package.
                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        return new PackageFile(path, await HashAsync(path, cancellationToken));
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Tasks.OperationException($"the agent package {path} cannot be read: {e.Message}", e);
        }
    }
}
