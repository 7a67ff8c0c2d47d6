using System.Text;

namespace Stratus.Cli.Output;

/// <summary>Draws a bordered table the way <c>cfy</c> prints lists (prettytable style).</summary>
internal static class TableRenderer
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var cells = rows.Select(row => headers.Select((_, i) => Clean(i < row.Count ? row[i] : null)).ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var border = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        var text = new StringBuilder();
        text.Append(border).Append('\n');
        text.Append("| ").Append(string.Join(" | ", headers.Select((h, i) => Center(h, widths[i])))).Append(" |\n");
        text.Append(border).Append('\n');
        foreach (var row in cells)
        {
            text.Append("| ").Append(string.Join(" | ", row.Select((c, i) => c.PadRight(widths[i])))).Append(" |\n");
        }

        text.Append(border).Append('\n');
        return text.ToString();
    }

    private static string Clean(string? value) =>
        value is null ? "" : value.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ').Trim();

    private static string Center(string text, int width)
    {
        // Python's str.center (what prettytable uses): an odd margin puts the extra space on the left when the width is odd.
        var margin = width - text.Length;
        var left = (margin / 2) + (margin & width & 1);
        return new string(' ', left) + text + new string(' ', width - text.Length - left);
    }
}
