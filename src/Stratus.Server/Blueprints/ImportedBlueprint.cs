namespace Stratus.Server.Blueprints;

/// <summary>An uploaded blueprint another one imports: its file-server folder and main file.</summary>
internal sealed record ImportedBlueprint(string Id, string Folder, string MainFile);
