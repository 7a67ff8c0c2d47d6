using System.Text;
using Stratus.Client.Models;

namespace Stratus.Cli.Output;

/// <summary>
/// One line per event, as <c>cfy</c> prints them:
/// <c>2026-11-26 06:07:55.416  CFY &lt;dep&gt; [db_3ydokc.create] message</c>; logs show <c>LOG</c> and the level.
/// </summary>
internal static class EventFormatter
{
    public static string Format(CloudifyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var line = new StringBuilder();
        line.Append(Cells.Time(e.Timestamp) ?? "").Append("  ");
        line.Append(e.IsLog ? "LOG" : "CFY").Append(' ');
        line.Append('<').Append(e.DeploymentId ?? "None").Append('>').Append(' ');
        var info = OperationInfo(e);
        if (info.Length > 0)
        {
            line.Append('[').Append(info).Append("] ");
        }

        if (e.IsLog && !string.IsNullOrEmpty(e.Level))
        {
            line.Append(e.Level.ToUpperInvariant()).Append(": ");
        }

        line.Append(e.Message);
        return line.ToString();
    }

    private static string OperationInfo(CloudifyEvent e)
    {
        var operation = e.Operation is { } op ? op[(op.LastIndexOf('.') + 1)..] : null;
        if (e.SourceId is not null)
        {
            return $"{e.SourceId}->{e.TargetId}|{operation}";
        }

        return string.Join('.', new[] { e.NodeInstanceId ?? e.NodeName, operation }.Where(p => !string.IsNullOrEmpty(p)));
    }
}
