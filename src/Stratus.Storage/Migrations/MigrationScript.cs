using System.Globalization;
using System.Reflection;

namespace Stratus.Storage.Migrations;

/// <summary>One versioned schema script, e.g. <c>0001_initial.sql</c> embedded in a provider assembly.</summary>
internal sealed record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>
    /// Loads every embedded <c>NNNN_name.sql</c> resource of <paramref name="assembly"/>, ordered by version.
    /// Two scripts with the same version are a packaging bug and fail loudly.
    /// </summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded(Assembly assembly)
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var withoutExtension = resource[..^4];
            var fileName = withoutExtension[(withoutExtension.LastIndexOf('.') + 1)..];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Migration resource '{resource}' cannot be read.");
            using var reader = new StreamReader(stream);
            scripts.Add(new MigrationScript(version, fileName, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Version == scripts[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations share version {scripts[i].Version}.");
            }
        }

        return scripts;
    }
}
