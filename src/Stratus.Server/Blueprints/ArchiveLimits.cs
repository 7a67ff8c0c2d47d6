namespace Stratus.Server.Blueprints;

internal sealed record ArchiveLimits(int MaxEntries, long MaxExtractedBytes);
