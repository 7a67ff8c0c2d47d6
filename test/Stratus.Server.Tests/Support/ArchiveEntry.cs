namespace Stratus.Server.Tests.Support;

public enum EntryKind
{
    File,
    Directory,
    Symlink,
    HardLink,
}

public sealed record ArchiveEntry(string Name, string Content = "", EntryKind Kind = EntryKind.File, string LinkTarget = "");
