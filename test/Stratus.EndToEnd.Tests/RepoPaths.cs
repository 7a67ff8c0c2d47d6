using System.Reflection;

namespace Stratus.EndToEnd.Tests;

/// <summary>Finds the checkout (the folder holding Stratus.slnx) and the built CLI next to it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string HelloWorld => Path.Combine(Root, "examples", "hello-world");

    /// <summary>The stratus.dll built in this test run's configuration (Debug or Release).</summary>
    public static string CliDll
    {
        get
        {
            var configuration = typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dll = Path.Combine(Root, "src", "Stratus.Cli", "bin", configuration, "net10.0", "stratus.dll");
            return File.Exists(dll)
                ? dll
                : throw new FileNotFoundException($"the CLI is not built at {dll}; build test/Stratus.EndToEnd.Tests first", dll);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stratus.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Stratus.slnx above {AppContext.BaseDirectory}");
    }
}
