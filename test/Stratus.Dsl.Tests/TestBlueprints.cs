using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>Locates the test blueprints copied beside the test assembly, and writes ad-hoc ones.</summary>
internal static class TestBlueprints
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Blueprints", relative);

    public static JsonObject Parse(string relative) => new BlueprintParser().Parse(PathOf(relative)).Plan;

    /// <summary>Writes <paramref name="yaml"/> as blueprint.yaml in a fresh directory and returns its path.</summary>
    public static string Write(string yaml, params (string Name, string Content)[] extraFiles)
    {
        var dir = Path.Combine(Path.GetTempPath(), "stratus-dsl-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var (name, content) in extraFiles)
        {
            var path = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        var main = Path.Combine(dir, "blueprint.yaml");
        File.WriteAllText(main, yaml);
        return main;
    }

    public static JsonObject ParseText(string yaml, params (string Name, string Content)[] extraFiles) =>
        new BlueprintParser().Parse(Write(yaml, extraFiles)).Plan;

    public static DslParseException ParseError(string yaml, params (string Name, string Content)[] extraFiles) =>
        Assert.Throws<DslParseException>(() => ParseText(yaml, extraFiles));

    public static JsonObject Node(JsonObject plan, string name) =>
        plan["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == name)!.AsObject();
}
