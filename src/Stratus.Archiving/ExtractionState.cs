namespace Stratus.Archiving;

/// <summary>Bookkeeping of one extraction: the names seen, the entry count and the bytes written so far.</summary>
internal sealed class ExtractionState(string root, ArchiveLimits limits)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly byte[] _buffer = new byte[81920];
    private long _bytes;

    public string Root { get; } = root;

    public void AddDirectory(string name)
    {
        var path = Resolve(name, allowEmpty: true);
        if (path is not null)
        {
            Directory.CreateDirectory(path);
        }
    }

    public void AddFile(string name, Stream data, CancellationToken cancellationToken)
    {
        var path = Resolve(name, allowEmpty: false)!;
        if (!_seen.Add(path))
        {
            throw BlueprintArchiveExtractor.Invalid($"entry `{name}` appears more than once");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        int read;
        while ((read = data.Read(_buffer, 0, _buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _bytes += read;
            if (_bytes > limits.MaxExtractedBytes)
            {
                throw BlueprintArchiveExtractor.Invalid($"it expands to more than {limits.MaxExtractedBytes} bytes");
            }

            output.Write(_buffer, 0, read);
        }
    }

    private string? Resolve(string name, bool allowEmpty)
    {
        if (++EntryCount > limits.MaxEntries)
        {
            throw BlueprintArchiveExtractor.Invalid($"it holds more than {limits.MaxEntries} entries");
        }

        var normalized = name.Replace('\\', '/');
        if (normalized.StartsWith('/') || normalized.Contains('\0', StringComparison.Ordinal)
            || (normalized.Length >= 2 && normalized[1] == ':'))
        {
            throw BlueprintArchiveExtractor.Invalid($"entry `{name}` has an absolute path");
        }

        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (segments.Contains(".."))
        {
            throw BlueprintArchiveExtractor.Invalid($"entry `{name}` points outside the archive");
        }

        if (segments.Count == 0)
        {
            return allowEmpty ? null : throw BlueprintArchiveExtractor.Invalid($"entry `{name}` has no name");
        }

        var path = Path.GetFullPath(Path.Combine([Root, .. segments]));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw BlueprintArchiveExtractor.Invalid($"entry `{name}` points outside the archive");
        }

        return path;
    }

    public int EntryCount { get; private set; }
}
