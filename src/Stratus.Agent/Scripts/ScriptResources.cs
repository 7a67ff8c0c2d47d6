using System.Reflection;

namespace Stratus.Agent.Scripts;

/// <summary>The files the agent gives every script: the bash <c>ctx</c> command and the Python <c>cloudify</c> shim.</summary>
internal static class ScriptResources
{
    private const string Prefix = "Stratus.Agent/";
    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Writes <c>ctx</c> into <paramref name="binDirectory"/> (executable).</summary>
    public static async Task WriteCtxCommandAsync(string binDirectory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(binDirectory);
        var target = Path.Combine(binDirectory, "ctx");
        await WriteAsync(Prefix + "ctx", target, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, Executable);
        }
    }

    /// <summary>Writes the Python shim (the <c>cloudify</c> package and the script launcher) into a folder.</summary>
    public static async Task WritePythonShimAsync(string directory, CancellationToken cancellationToken = default)
    {
        const string python = Prefix + "python/";
        foreach (var name in typeof(ScriptResources).Assembly.GetManifestResourceNames())
        {
            var normalized = name.Replace('\\', '/');
            if (normalized.StartsWith(python, StringComparison.Ordinal))
            {
                var target = Path.Combine(directory, normalized[python.Length..]);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await WriteAsync(name, target, cancellationToken);
            }
        }
    }

    public static string Read(string name)
    {
        using var stream = Open(Prefix + name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task WriteAsync(string resource, string target, CancellationToken cancellationToken)
    {
        await using var source = Open(resource);
        await using var file = File.Create(target);
        await source.CopyToAsync(file, cancellationToken);
    }

    private static Stream Open(string resource) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
        ?? throw new InvalidOperationException($"The agent build lacks its embedded resource '{resource}'.");
}
