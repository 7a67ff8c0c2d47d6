using System.Text.RegularExpressions;

namespace Stratus.Server.Plugins;

/// <summary>Which of a plugin's yaml files a blueprint of a given DSL version gets (Cloudify's <c>yaml_file_path</c>).</summary>
internal static partial class PluginYamlFiles
{
    /// <summary>
    /// An exact <c>..._&lt;dsl_version&gt;.yaml</c> wins; else the highest versioned file not above the DSL version
    /// (compared as text, as Cloudify does); else the first unversioned one; else null.
    /// </summary>
    /// <param name="files">File names, sorted.</param>
    /// <param name="dslVersion">Like <c>1_4</c>; null for no preference.</param>
    public static string? Choose(IReadOnlyList<string> files, string? dslVersion)
    {
        string? best = null;
        string? bestVersion = null;
        string? unversioned = null;
        foreach (var file in files)
        {
            if (!string.IsNullOrEmpty(dslVersion) && file.EndsWith(dslVersion + ".yaml", StringComparison.Ordinal))
            {
                return file;
            }

            if (Versioned().Match(file) is { Success: true } match)
            {
                var version = match.Groups[1].Value;
                if ((string.IsNullOrEmpty(dslVersion) || string.CompareOrdinal(version, dslVersion) <= 0)
                    && (bestVersion is null || string.CompareOrdinal(version, bestVersion) > 0))
                {
                    (best, bestVersion) = (file, version);
                }
            }
            else
            {
                unversioned ??= file;
            }
        }

        return best ?? unversioned;
    }

    /// <summary>The <c>1_4</c> of the main file's <c>tosca_definitions_version: cloudify_dsl_1_4</c>, or null.</summary>
    /// <remarks>
    /// The parser's plugin hook receives only the import spec, so the manager reads the version itself; a wrong or
    /// missing version is the parser's error to report, so this only looks, never fails.
    /// </remarks>
    public static string? DslVersionOf(string mainFilePath)
    {
        try
        {
            using var reader = new StreamReader(mainFilePath);
            for (var i = 0; i < 10_000 && reader.ReadLine() is { } line; i++)
            {
                if (DslVersionLine().Match(line) is { Success: true } match)
                {
                    return match.Groups[1].Value;
                }
            }
        }
        catch (IOException)
        {
            // Unreadable: the parser reports it.
        }

        return null;
    }

    [GeneratedRegex(@"_(\d_\d+)\.yaml$")]
    private static partial Regex Versioned();

    [GeneratedRegex(@"^tosca_definitions_version\s*:\s*[""']?cloudify_dsl_(\d+_\d+)[""']?\s*(#.*)?$")]
    private static partial Regex DslVersionLine();
}
