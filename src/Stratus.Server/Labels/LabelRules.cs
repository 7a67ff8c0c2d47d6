using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Server.Labels;

/// <summary>
/// Cloudify's label rules (rest_utils get_labels_list / parse_label): keys of URL-safe characters, lower-cased; values
/// without control characters or <c>"</c> (not NFKC-normalized here, see <see cref="Parse"/>); at most 256 characters each; <c>csys-</c> keys only from
/// the reserved list; latitude and longitude in range; no pair twice.
/// </summary>
internal static class LabelRules
{
    public const string ReservedPrefix = "csys-";

    /// <summary>Cloudify's RESERVED_LABELS, sorted.</summary>
    public static readonly IReadOnlyList<string> ReservedKeys =
    [
        "csys-consumer-id", "csys-env-type", "csys-environment", "csys-location-lat", "csys-location-long",
        "csys-location-name", "csys-obj-name", "csys-obj-parent", "csys-obj-type", "csys-wrcp-group-id",
        "csys-wrcp-services",
    ];

    /// <summary>What Python's <c>quote(key, safe='')</c> leaves alone.</summary>
    private static readonly SearchValues<char> KeyCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~");

    public static StratusException BadLabelsList() => StratusException.BadParameters(
        "Labels must be a list of 1-entry dictionaries: [{<key1>: <value1>}, {<key2>: [<value2>, <value3>]}, ...]");

    /// <summary>A request's <c>[{key: value}, {key: [value, ...]}]</c> list as validated (key, value) pairs.</summary>
    public static List<(string Key, string Value)> ParseList(JsonNode? raw)
    {
        if (raw is not JsonArray list)
        {
            throw BadLabelsList();
        }

        var labels = new List<(string Key, string Value)>();
        foreach (var item in list)
        {
            if (item is not JsonObject { Count: 1 } entry)
            {
                throw BadLabelsList();
            }

            var (key, value) = entry.First();
            IEnumerable<JsonNode?> values = value is JsonArray many ? many : new[] { value };
            foreach (var one in values)
            {
                labels.Add(Parse(key, one));
            }
        }

        RequireUnique(labels);
        return labels;
    }

    /// <summary>One label, as Cloudify's parse_label checks and normalizes it.</summary>
    public static (string Key, string Value) Parse(string key, JsonNode? rawValue)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (rawValue?.GetValueKind() != JsonValueKind.String)
        {
            throw BadLabelsList();
        }

        var value = rawValue.GetValue<string>();
        if (key.Length > 256 || value.Length > 256)
        {
            throw StratusException.BadParameters("The key or value is too long. Maximum allowed length is 256 characters");
        }

        if (key.AsSpan().ContainsAnyExcept(KeyCharacters))
        {
            throw StratusException.BadParameters(
                $"The key `{key}` contains illegal characters. Only letters, digits and the characters `-`, `.` and `_` are allowed");
        }

        if (value.EnumerateRunes().Any(r => r.Value == '"' || IsControl(r)))
        {
            throw StratusException.BadParameters(
                $"The value `{value}` contains illegal characters. Control characters and `\"` are not allowed.");
        }

        var parsedKey = key.ToLowerInvariant();
        // Cloudify also NFKC-normalizes the value; the build runs in invariant-globalization mode, which has no
        // Unicode normalization tables, so compatibility characters (e.g. full-width letters) are kept as sent.
        var parsedValue = value;
        if (parsedKey.StartsWith(ReservedPrefix, StringComparison.Ordinal) && !ReservedKeys.Contains(parsedKey))
        {
            throw StratusException.BadParameters(
                $"All labels with a `{ReservedPrefix}` prefix are reserved for internal use. Allowed `{ReservedPrefix}` prefixed labels are: {string.Join(", ", ReservedKeys)}");
        }

        CheckCoordinate(parsedKey, parsedValue);
        return (parsedKey, parsedValue);
    }

    public static void RequireUnique(IReadOnlyCollection<(string Key, string Value)> labels)
    {
        if (labels.Distinct().Count() != labels.Count)
        {
            throw StratusException.BadParameters("You cannot define the same label twice");
        }
    }

    /// <summary>Stored labels with their creation stamp; <c>csys-obj-type</c> values are kept lower-case, as Cloudify stores them.</summary>
    public static IReadOnlyList<ResourceLabel> Stamp(IEnumerable<(string Key, string Value)> labels, DateTimeOffset at, string creator) =>
    [
        .. labels
            .Select(l => l.Key == "csys-obj-type" ? (l.Key, Value: l.Value.ToLowerInvariant()) : l)
            .Distinct()
            .Select(l => new ResourceLabel(l.Key, l.Value, at, creator)),
    ];

    private static void CheckCoordinate(string key, string value)
    {
        var (limit, name) = key switch
        {
            "csys-location-lat" => (90.0, "latitude"),
            "csys-location-long" => (180.0, "longitude"),
            _ => (0.0, null),
        };
        if (name is null)
        {
            return;
        }

        if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !(number >= -limit && number <= limit))
        {
            throw StratusException.BadParameters($"Invalid {name} `{value}`. Must be a number between -{limit:0} and {limit:0}");
        }
    }

    /// <summary>Unicode category C (control, format, surrogate, private use, unassigned), as Python's unicodedata sees it.</summary>
    private static bool IsControl(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
}
