using System.Xml.Linq;

namespace Stratus.Architecture.Tests;

/// <summary>Keeps the dependency directions of STYLE.md true by reading the csproj files.</summary>
public sealed class ProjectReferenceTests
{
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Stratus.Core"] = [],
        ["Stratus.Dsl"] = [],
        ["Stratus.Contracts"] = [],
        ["Stratus.Messaging"] = [],
        ["Stratus.Messaging.RabbitMq"] = ["Stratus.Messaging"],
        ["Stratus.Archiving"] = ["Stratus.Core"],
        ["Stratus.Storage"] = ["Stratus.Core"],
        ["Stratus.Storage.Sqlite"] = ["Stratus.Core", "Stratus.Storage"],
        ["Stratus.Storage.PostgreSql"] = ["Stratus.Core", "Stratus.Storage"],
        ["Stratus.Workflows"] = ["Stratus.Core", "Stratus.Contracts", "Stratus.Storage", "Stratus.Messaging", "Stratus.Dsl"],
        ["Stratus.Agent"] = ["Stratus.Contracts", "Stratus.Messaging"],
        ["Stratus.Client"] = ["Stratus.Contracts"],
    };

    public static TheoryData<string> Projects() => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_ReferencesOnlyAllowedProjects_WhenBuilt(string project)
    {
        var references = ReadProjectReferences(project);

        var forbidden = references.Except(Allowed[project], StringComparer.Ordinal).ToList();

        Assert.True(forbidden.Count == 0, $"{project} must not reference {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void Providers_AreReferencedOnlyByHostsAndTests_InTheSolution()
    {
        string[] providers = ["Stratus.Storage.Sqlite", "Stratus.Storage.PostgreSql", "Stratus.Messaging.RabbitMq"];
        string[] hosts = ["Stratus.Server", "Stratus.Cli"];
        var offenders = Directory.GetDirectories(Path.Combine(RepositoryRoot(), "src"))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(p => !hosts.Contains(p) && !providers.Contains(p))
            .Where(p => ReadProjectReferences(p).Intersect(providers).Any())
            .ToList();

        Assert.True(offenders.Count == 0, $"only hosts may name a storage or messaging provider; found: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void Agent_NeverReachesStorage_DirectlyOrTransitively()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(["Stratus.Agent"]);
        while (pending.Count > 0)
        {
            foreach (var reference in ReadProjectReferences(pending.Pop()).Where(seen.Add))
            {
                pending.Push(reference);
            }
        }

        Assert.DoesNotContain(seen, p => p.StartsWith("Stratus.Storage", StringComparison.Ordinal));
    }

    private static List<string> ReadProjectReferences(string project)
    {
        var path = Path.Combine(RepositoryRoot(), "src", project, project + ".csproj");
        Assert.True(File.Exists(path), $"missing project file {path}");
        return XDocument.Load(path)
            .Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension((string?)e.Attribute("Include") ?? ""))
            .ToList();
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Stratus.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Stratus.slnx not found above " + AppContext.BaseDirectory);
    }
}
