using System.Globalization;

namespace Stratus.Bench;

/// <summary>
/// CPU time (user + system) another process has used, from /proc/PID/stat (Linux). On a shared machine the CPU
/// spent per event is a steadier figure than the rate, which depends on what else runs.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>The process's CPU time so far, or null when it cannot be read (no pid, not Linux).</summary>
    public static TimeSpan? Used(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/stat"))
        {
            return null;
        }

        // Fields after the command name (which may hold spaces, so split after its closing parenthesis):
        // state is field 3, utime field 14 and stime field 15, in clock ticks (100 per second on Linux).
        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>"manager CPU 12.3 s, 61 µs per event" between two readings, or why it was not measured.</summary>
    public static string Describe(TimeSpan? before, TimeSpan? after, long events) =>
        before is { } b && after is { } a && events > 0
            ? string.Create(CultureInfo.InvariantCulture, $"manager CPU {(a - b).TotalSeconds:F1} s, {(a - b).TotalMicroseconds / events:F0} us per event stored")
            : "manager CPU: not measured (pass --pid)";
}
