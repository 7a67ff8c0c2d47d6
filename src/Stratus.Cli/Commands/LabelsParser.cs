using System.Globalization;
using System.Text;
using Stratus.Cli.Parsing;

namespace Stratus.Cli.Commands;

/// <summary>
/// cfy's <c>--labels</c> syntax: <c>key:value,key:value</c>, with <c>\,</c> and <c>\:</c> escaping a comma or colon
/// in a value; for deletion a bare <c>key</c> (every value of it) is allowed too.
/// </summary>
internal static class LabelsParser
{
    private const string FormatError = "Labels should be of the form <key>:<value>,<key>:<value>";

    /// <summary>The labels in order; a null value stands for a bare key (only when <paramref name="allowOnlyKey"/>).</summary>
    public static List<KeyValuePair<string, string?>> Parse(string raw, bool allowOnlyKey = false)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Length == 0)
        {
            throw new UsageException("The labels argument is empty");
        }

        if (raw.EnumerateRunes().Any(r => r.Value == '"' || Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format))
        {
            throw new UsageException("labels cannot contain control characters or `\"`");
        }

        var labels = new List<KeyValuePair<string, string?>>();
        foreach (var part in raw.Replace("\\,", "\0", StringComparison.Ordinal).Split(','))
        {
            var label = part.Replace('\0', ',');
            var escaped = label.Replace("\\:", "\0", StringComparison.Ordinal);
            var pieces = escaped.Split(':');
            string key;
            string? value = null;
            switch (pieces.Length)
            {
                case 1 when allowOnlyKey:
                    key = pieces[0];
                    break;
                case 2 when pieces[0].Length > 0 && pieces[1].Length > 0:
                    key = pieces[0];
                    value = pieces[1].Replace('\0', ':');
                    break;
                case > 2 when allowOnlyKey:
                    throw new UsageException("LABEL should be a mixed list of labels and keys. I.e. <key>:<value>,<key>,<key>:<value>");
                default:
                    throw Invalid(label, FormatError);
            }

            key = key.Replace('\0', ':').Trim();
            if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')))
            {
                throw Invalid(label, "The label's key contains illegal characters. Only letters, digits and the characters `-`, `.` and `_` are allowed");
            }

            labels.Add(KeyValuePair.Create(key, value));
        }

        return labels;
    }

    /// <summary>Key/value labels only (create, upload, add).</summary>
    public static List<KeyValuePair<string, string>> ParsePairs(string raw) =>
        [.. Parse(raw).Select(l => KeyValuePair.Create(l.Key, l.Value!))];

    private static UsageException Invalid(string label, string reason) => new($"The label `{label}` is invalid. {reason}");
}
