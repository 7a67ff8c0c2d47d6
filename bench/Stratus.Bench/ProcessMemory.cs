using System.Globalization;

namespace Stratus.Bench;

/// <summary>Resident memory of another process from /proc/PID/status (Linux): current (VmRSS) and peak (VmHWM), in MB.</summary>
internal static class ProcessMemory
{
    public static string Describe(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/status"))
        {
            return "manager memory: not measured (pass --pid)";
        }

        var lines = File.ReadAllLines($"/proc/{id}/status");
        return string.Create(CultureInfo.InvariantCulture, $"manager RSS {Megabytes(lines, "VmRSS:")} MB, peak RSS {Megabytes(lines, "VmHWM:")} MB");
    }

    private static long Megabytes(string[] lines, string key) =>
        lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024
            : -1;
}
