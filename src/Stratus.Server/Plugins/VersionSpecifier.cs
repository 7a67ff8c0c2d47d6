using System.Text.RegularExpressions;

namespace Stratus.Server.Plugins;

/// <summary>
/// One clause of a PEP 440 specifier set (<c>&gt;=1.0</c>, <c>==2.*</c>, <c>~=3.1</c>, <c>!=1.2</c>, <c>===x</c>).
/// A bare version, as in <c>plugin:x?version=1.0.2</c>, means <c>===1.0.2</c> (an exact text match), as in Cloudify.
/// </summary>
internal sealed partial record VersionSpecifier(string Operator, string Version)
{
    public override string ToString() => Operator + Version;

    /// <summary>Null when the text is not a valid clause.</summary>
    public static VersionSpecifier? TryParse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (Clause().Match(trimmed) is not { Success: true } m)
        {
            return new VersionSpecifier("===", trimmed);
        }

        var op = m.Groups["op"].Value;
        var version = m.Groups["version"].Value.Trim();
        var wildcard = version.EndsWith(".*", StringComparison.Ordinal);
        if (op == "===")
        {
            return new VersionSpecifier(op, version);
        }

        if ((wildcard && op is not ("==" or "!=")) || PackageVersion.TryParse(wildcard ? version[..^2] : version) is null
            || (op == "~=" && !version.Contains('.', StringComparison.Ordinal)))
        {
            // Not a valid clause with an operator: Cloudify then tries it as an exact version.
            return new VersionSpecifier("===", trimmed);
        }

        return new VersionSpecifier(op, version);
    }

    /// <summary>Whether this clause names a pre-release (which lets pre-releases match at all).</summary>
    public bool MentionsPreRelease => Operator != "===" && !Version.EndsWith(".*", StringComparison.Ordinal)
        && PackageVersion.TryParse(Version) is { IsPreRelease: true };

    public bool Matches(PackageVersion? candidate, string text)
    {
        if (Operator == "===")
        {
            return string.Equals(text.Trim(), Version, StringComparison.OrdinalIgnoreCase);
        }

        if (candidate is null)
        {
            return false;
        }

        if (Version.EndsWith(".*", StringComparison.Ordinal))
        {
            var prefix = PackageVersion.TryParse(Version[..^2])!;
            var matches = Enumerable.Range(0, prefix.Release.Count).All(i => candidate.ReleaseAt(i) == prefix.Release[i]);
            return Operator == "==" ? matches : !matches;
        }

        var target = PackageVersion.TryParse(Version)!;
        var c = candidate.CompareTo(target);
        return Operator switch
        {
            "==" => c == 0,
            "!=" => c != 0,
            ">=" => c >= 0,
            "<=" => c <= 0,
            ">" => c > 0,
            "<" => c < 0,
            _ => c >= 0 && Enumerable.Range(0, target.Release.Count - 1).All(i => candidate.ReleaseAt(i) == target.Release[i]),
        };
    }

    [GeneratedRegex(@"^(?<op>===|==|!=|~=|<=|>=|<|>)\s*(?<version>\S+)$")]
    private static partial Regex Clause();
}
