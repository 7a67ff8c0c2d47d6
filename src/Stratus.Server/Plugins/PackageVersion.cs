using System.Globalization;
using System.Text.RegularExpressions;

namespace Stratus.Server.Plugins;

/// <summary>
/// A PEP 440 version, as far as plugin versions need it: release numbers, a/b/rc pre-releases, post and dev
/// releases; local labels are ignored in ordering. Null from <see cref="TryParse"/> for anything else.
/// </summary>
internal sealed partial record PackageVersion(IReadOnlyList<long> Release, int PreKind, long Pre, long Post, long Dev, string Text)
    : IComparable<PackageVersion>
{
    // Pre-release kinds in order; Final sorts after every pre-release.
    private const int DevOnly = -1;
    private const int Final = 3;

    public bool IsPreRelease => PreKind != Final || Dev != long.MaxValue;

    public static PackageVersion? TryParse(string? text)
    {
        if (text is null || Pattern().Match(text.Trim().ToLowerInvariant()) is not { Success: true } m)
        {
            return null;
        }

        var release = m.Groups["release"].Value.Split('.').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var preKind = m.Groups["pre"].Success
            ? m.Groups["pre"].Value switch { "a" or "alpha" => 0, "b" or "beta" => 1, _ => 2 }
            : Final;
        var pre = m.Groups["pren"].Success && m.Groups["pren"].Value.Length > 0 ? long.Parse(m.Groups["pren"].Value, CultureInfo.InvariantCulture) : 0;
        var post = m.Groups["post"].Success ? ParseOrZero(m.Groups["postn"].Value) : -1;
        var dev = m.Groups["dev"].Success ? ParseOrZero(m.Groups["devn"].Value) : long.MaxValue;
        if (preKind == Final && post < 0 && dev != long.MaxValue)
        {
            // 1.0.dev1 sorts before 1.0a1.
            preKind = DevOnly;
        }

        return new PackageVersion(release, preKind, pre, post, dev, text.Trim());
    }

    public int CompareTo(PackageVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var length = Math.Max(Release.Count, other.Release.Count);
        for (var i = 0; i < length; i++)
        {
            var c = (i < Release.Count ? Release[i] : 0).CompareTo(i < other.Release.Count ? other.Release[i] : 0);
            if (c != 0)
            {
                return c;
            }
        }

        var kind = PreKind.CompareTo(other.PreKind);
        if (kind != 0)
        {
            return kind;
        }

        var pre = Pre.CompareTo(other.Pre);
        if (pre != 0)
        {
            return pre;
        }

        var post = Post.CompareTo(other.Post);
        return post != 0 ? post : Dev.CompareTo(other.Dev);
    }

    /// <summary>The release numbers without trailing zeros beyond <paramref name="count"/> (for prefix matching).</summary>
    public long ReleaseAt(int index) => index < Release.Count ? Release[index] : 0;

    private static long ParseOrZero(string digits) => digits.Length == 0 ? 0 : long.Parse(digits, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^v?(?<release>\d+(\.\d+)*)([-_.]?(?<pre>a|alpha|b|beta|rc|c|pre|preview)[-_.]?(?<pren>\d*))?([-_.]?(?<post>post|rev|r)[-_.]?(?<postn>\d*))?([-_.]?(?<dev>dev)[-_.]?(?<devn>\d*))?(\+[a-z0-9.]+)?$")]
    private static partial Regex Pattern();
}
