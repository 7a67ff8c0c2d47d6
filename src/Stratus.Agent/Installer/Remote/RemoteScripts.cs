using System.Globalization;
using System.Text;

namespace Stratus.Agent.Installer.Remote;

/// <summary>
/// The shell the installer runs on a host (POSIX sh, Linux). Every path and value is single-quoted by
/// <see cref="Quote"/>; nothing here holds a credential (the token travels in the env file, over SFTP).
/// </summary>
internal static class RemoteScripts
{
    public const string PackagePrefix = "package-";

    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string UnitName(string agent) => $"stratus-agent-{agent}.service";

    public static string UnitPath(string agent) => "/etc/systemd/system/" + UnitName(agent);

    public static string PackageName(string sha256) => PackagePrefix + sha256[..16] + ".tar.gz";

    public const string Home = "printf '%s' \"$HOME\"";

    /// <summary>Makes the folder (0700) and tells whether the package is already there.</summary>
    public static string Prepare(string dir, string package) =>
        $"mkdir -p {Quote(dir)}/work && chmod 700 {Quote(dir)} && if [ -f {Quote(dir + "/" + package)} ]; then echo present; else echo missing; fi";

    /// <summary>Checks the uploaded part against its digest, then extracts it into <c>app</c> unless that is this package already.</summary>
    public static string Extract(string dir, string package, string sha256) =>
        $"set -e; cd {Quote(dir)}; "
        + $"if [ -f {Quote(package + ".part")} ]; then echo {Quote(sha256 + "  " + package + ".part")} | sha256sum -c --quiet - && mv -f {Quote(package + ".part")} {Quote(package)}; fi; "
        + $"if [ \"$(cat app/.stratus-package 2>/dev/null)\" != {Quote(sha256)} ]; then "
        + $"rm -rf app.new && mkdir app.new && tar -xzf {Quote(package)} -C app.new && printf '%s' {Quote(sha256)} > app.new/.stratus-package && rm -rf app && mv app.new app; fi; "
        + $"find . -maxdepth 1 -name '{PackagePrefix}*' ! -name {Quote(package)} -exec rm -f {{}} +";

    /// <summary>Prints <c>self-contained</c>, <c>dotnet PATH</c>, or <c>none</c>.</summary>
    public static string Runtime(string dir) =>
        $"if [ -f {Quote(dir + "/app/libcoreclr.so")} ]; then echo self-contained; exit 0; fi; "
        + "for d in \"$(command -v dotnet 2>/dev/null)\" /usr/bin/dotnet /usr/share/dotnet/dotnet /usr/lib/dotnet/dotnet \"$HOME/.dotnet/dotnet\" /usr/local/share/dotnet/dotnet; do "
        + "if [ -n \"$d\" ] && [ -x \"$d\" ]; then echo \"dotnet $d\"; exit 0; fi; done; echo none";

    /// <summary>Prints <c>systemd</c> when the host runs systemd and the user may manage units, else <c>detach</c>.</summary>
    public const string DetectProcessManagement =
        "if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && { [ \"$(id -u)\" = 0 ] || sudo -n true 2>/dev/null; }; "
        + "then echo systemd; else echo detach; fi";

    /// <summary>An empty file readable by its owner only, so what is uploaded into it next is never readable by others.</summary>
    public static string PrivateFile(string path) => $"rm -f {Quote(path)} && (umask 077 && : > {Quote(path)}) && chmod 600 {Quote(path)}";

    public static string EnvFile(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var text = new StringBuilder("# Written by the Stratus manager; read by run.sh. Holds the agent's REST token: keep it 0600.\n");
        foreach (var (name, value) in variables)
        {
            text.Append(name).Append('=').Append(Quote(value)).Append('\n');
        }

        return text.ToString();
    }

    public static string RunScript(string dir, string name, string? dotnet) =>
        "#!/bin/sh\n"
        + $"# Stratus agent {name}, installed by the manager over SSH.\n"
        + "set -a\n"
        + $". {Quote(dir + "/agent.env")}\n"
        + "set +a\n"
        + $"cd {Quote(dir)}\n"
        + (dotnet is null ? $"exec {Quote(dir + "/app/stratus")}" : $"exec {Quote(dotnet)} {Quote(dir + "/app/stratus.dll")}")
        + $" agent start --name {Quote(name)} --work-dir {Quote(dir + "/work")}\n";

    /// <summary>
    /// The agent's systemd unit. It is world-readable in /etc/systemd/system, so it holds no credential: run.sh reads
    /// the 0600 env file. The output goes to the agent's own 0600 log, as the detached agent's does, so a failed start
    /// shows its last lines without the journal. A crash restarts it after 2 s, as Cloudify's unit does; a stop ends it within <paramref name="stopTimeout"/>
    /// (TERM, then KILL), the bound the detached path keeps. <c>%</c> is escaped (specifiers); the executable path is
    /// quoted for blanks and takes <c>$</c> verbatim; <see cref="UnitProblem"/> names what a unit cannot carry.
    /// </summary>
    public static string Unit(string dir, string name, string user, TimeSpan stopTimeout) =>
        "[Unit]\n"
        + $"Description=Stratus agent {UnitText(name)}\n"
        + "Wants=network-online.target\n"
        + "After=network-online.target\n\n"
        + "[Service]\n"
        + $"User={UnitText(user)}\n"
        + $"ExecStart=\"{UnitText(dir + "/run.sh")}\"\n"
        + $"StandardOutput=append:{UnitText(dir + "/agent.log")}\n"
        + "StandardError=inherit\n"
        + "UMask=0077\n"
        + "Restart=on-failure\n"
        + "RestartSec=2\n"
        + $"TimeoutStopSec={Math.Max(1, (int)Math.Ceiling(stopTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}\n\n"
        + "[Install]\n"
        + "WantedBy=multi-user.target\n";

    /// <summary>
    /// Why <paramref name="value"/> cannot go into a unit file (systemd refuses an executable path with a control
    /// character, a backslash or a quote, and trims blanks at the ends of a value), or null.
    /// </summary>
    public static string? UnitProblem(string value) =>
        value.Any(char.IsControl) ? "a control character"
        : value.Contains('\\', StringComparison.Ordinal) ? "a backslash"
        : value.Contains('"', StringComparison.Ordinal) || value.Contains('\'', StringComparison.Ordinal) ? "a quote"
        : value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])) ? "leading or trailing blanks"
        : null;

    private static string UnitText(string value) => value.Replace("%", "%%", StringComparison.Ordinal);

    private static string Sudo => "if [ \"$(id -u)\" = 0 ]; then S=; else S='sudo -n'; fi; ";

    /// <summary>Makes the agent's log (appended to by both paths) if missing, readable by its owner only.</summary>
    public static string PrivateLog(string dir) =>
        $"(umask 077 && : >> {Quote(dir + "/agent.log")}) && chmod 600 {Quote(dir + "/agent.log")}";

    public static string InstallUnit(string dir, string name, string unitUpload) =>
        Sudo + PrivateLog(dir) + $" && $S install -m 644 {Quote(unitUpload)} {Quote(UnitPath(name))} && rm -f {Quote(unitUpload)} && $S systemctl daemon-reload "
        + $"&& $S systemctl enable {Quote(UnitName(name))} && $S systemctl restart {Quote(UnitName(name))}";

    /// <summary>Prints the unit's state for a failure message: active state, restarts, last exit status.</summary>
    public static string UnitStatus(string name) =>
        Sudo + $"$S systemctl show -p ActiveState -p SubState -p NRestarts -p ExecMainStatus {Quote(UnitName(name))} 2>&1 | tr '\\n' ' '";

    /// <summary>Stops the detached agent of <c>agent.pid</c>: TERM, up to <paramref name="wait"/> for it to exit, then KILL.</summary>
    public static string StopDetached(string dir, TimeSpan wait) =>
        $"p=$(cat {Quote(dir + "/agent.pid")} 2>/dev/null); "
        + "if [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null; then kill \"$p\"; i=0; "
        + $"while kill -0 \"$p\" 2>/dev/null && [ $i -lt {((int)Math.Ceiling(wait.TotalSeconds * 5)).ToString(CultureInfo.InvariantCulture)} ]; do sleep 0.2; i=$((i+1)); done; "
        + "if kill -0 \"$p\" 2>/dev/null; then kill -9 \"$p\"; echo killed; else echo stopped; fi; else echo 'not running'; fi; "
        + $"rm -f {Quote(dir + "/agent.pid")}";

    public static string StartDetached(string dir, TimeSpan wait) =>
        StopDetached(dir, wait) + "; "
        // Not `cd && nohup ... &`: that backgrounds a subshell, and $! would not be the agent's pid.
        + $"cd {Quote(dir)} || exit 1; {PrivateLog(dir)} || exit 1; nohup setsid ./run.sh >> agent.log 2>&1 < /dev/null & echo $! > {Quote(dir + "/agent.pid")}";

    public static string StopUnit(string name) => Sudo + $"$S systemctl stop {Quote(UnitName(name))}";

    public static string RemoveUnit(string name) =>
        Sudo + $"$S systemctl disable --now {Quote(UnitName(name))} 2>/dev/null; $S rm -f {Quote(UnitPath(name))} && $S systemctl daemon-reload "
        + $"&& {{ $S systemctl reset-failed {Quote(UnitName(name))} 2>/dev/null; true; }}";

    public static string Tail(string dir) => $"tail -n 20 {Quote(dir + "/agent.log")} 2>/dev/null";
}
