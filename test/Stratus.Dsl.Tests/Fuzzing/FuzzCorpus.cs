namespace Stratus.Dsl.Tests.Fuzzing;

/// <summary>
/// The valid blueprints the mutation test starts from: every blueprint under the test Blueprints folder and under
/// the repository's examples/, each worked on in a private copy of its folder so imports and scripts still resolve.
/// </summary>
internal static class FuzzCorpus
{
    /// <summary>Main files as "Blueprints/..." or "examples/..." paths.</summary>
    public static IEnumerable<string> MainFiles()
    {
        var roots = new[] { ("Blueprints", Path.Combine(AppContext.BaseDirectory, "Blueprints")), ("examples", ExamplesFolder()) };
        foreach (var (label, root) in roots)
        {
            if (root is null || !Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(root, "blueprint.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                yield return label + "/" + Path.GetRelativePath(root, file).Replace('\\', '/');
            }
        }
    }

    public static Copy CopyOf(string mainFile)
    {
        var (label, relative) = (mainFile[..mainFile.IndexOf('/', StringComparison.Ordinal)], mainFile[(mainFile.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        var root = label == "examples" ? ExamplesFolder()! : Path.Combine(AppContext.BaseDirectory, "Blueprints");
        var source = Path.GetDirectoryName(Path.Combine(root, relative))!;
        var target = Directory.CreateTempSubdirectory("stratus-fuzz-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return new Copy(target, Path.Combine(target, "blueprint.yaml"));
    }

    private static string? ExamplesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Stratus.slnx")))
            {
                return candidate;
            }
        }

        return null;
    }

    internal sealed class Copy(string folder, string main) : IDisposable
    {
        private readonly string[] _yamlFiles = Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

        public string Main { get; } = main;

        /// <summary>Mostly the main file; now and then an imported one.</summary>
        public string PickFile(Random random) =>
            _yamlFiles.Length == 1 || random.Next(5) > 0 ? Main : _yamlFiles[random.Next(_yamlFiles.Length)];

        public void Dispose() => Directory.Delete(folder, recursive: true);
    }
}
