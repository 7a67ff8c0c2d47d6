using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>A <c>cloudify_dsl_major_minor[_micro]</c> version.</summary>
internal sealed partial record DslVersion(string Raw, int Major, int Minor, int? Micro) : IComparable<DslVersion>
{
    public static readonly string[] Supported =
        ["cloudify_dsl_1_0", "cloudify_dsl_1_1", "cloudify_dsl_1_2", "cloudify_dsl_1_3", "cloudify_dsl_1_4", "cloudify_dsl_1_5"];

    /// <summary>The main file's version: exactly one of <see cref="Supported"/> (no micro part), else error 29.</summary>
    public static DslVersion ParseMain(YNode node)
    {
        if (node is YScalar { Value: not (string or null) } || node is not YScalar)
        {
            throw node.Mark.Error(1, $"Expected 'string' type but found '{Y.UserType(node)}' type (tosca_definitions_version)");
        }

        if (node is YScalar { Value: string raw } && Array.IndexOf(Supported, raw) < 0)
        {
            throw node.Mark.Error(
                29, $"Unexpected tosca_definitions_version '{raw}'; Currently supported versions are: [{string.Join(", ", Supported)}]");
        }

        return Parse(node);
    }

    public static DslVersion Parse(YNode node)
    {
        var raw = node is YScalar { Value: string s } ? s : null;
        if (raw is null)
        {
            throw node.Mark.Error(71, $"Invalid tosca_definitions_version: '{(node as YScalar)?.Text}' is not a string");
        }

        var match = Pattern().Match(raw);
        if (!match.Success)
        {
            throw node.Mark.Error(
                73, $"Invalid tosca_definitions_version: '{raw}'. It should be in the form cloudify_dsl_<major>_<minor>[_<micro>]");
        }

        var micro = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : (int?)null;
        var version = new DslVersion(
            raw, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), micro);
        var baseName = $"cloudify_dsl_{version.Major}_{version.Minor}";
        if (Array.IndexOf(Supported, baseName) < 0)
        {
            throw node.Mark.Error(
                29, $"Unexpected tosca_definitions_version: '{raw}'; Currently supported versions are: [{string.Join(", ", Supported)}]");
        }

        return version;
    }

    public bool AtLeast(int major, int minor) => Major > major || (Major == major && Minor >= minor);

    public int CompareTo(DslVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        return c == 0 ? (Micro ?? 0).CompareTo(other.Micro ?? 0) : c;
    }

    public JsonObject ToPlan()
    {
        var numbers = new JsonArray(Major, Minor);
        if (Micro is { } m)
        {
            numbers.Add(m);
        }

        return new JsonObject
        {
            ["raw"] = Raw,
            ["definitions_name"] = "cloudify_dsl",
            ["definitions_version"] = numbers,
        };
    }

    [GeneratedRegex(@"^cloudify_dsl_(\d+)_(\d+)(?:_(\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
