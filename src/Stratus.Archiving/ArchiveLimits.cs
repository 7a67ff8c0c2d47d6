namespace Stratus.Archiving;

public sealed record ArchiveLimits(int MaxEntries, long MaxExtractedBytes);
