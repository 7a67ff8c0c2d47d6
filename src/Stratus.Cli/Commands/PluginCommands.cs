using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>cfy's <c>plugins upload/list/get/delete/download</c>, with its flags.</summary>
internal static class PluginCommands
{
    private static readonly string[] Columns =
        ["id", "package_name", "package_version", "distribution", "distribution_release", "uploaded_at", "visibility", "tenant_name", "created_by", "yaml_url_path"];

    private static readonly string[] Visibilities = ["private", "tenant", "global"];

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new(
            "plugins upload",
            "Upload a plugin wagon, with its plugin.yaml files",
            ["WAGON"],
            [
                OptionSpec.Many("yaml-path", "YAML", "the plugin's yaml (repeatable: plugin.yaml, plugin_1_4.yaml, ...)", 'y'),
                OptionSpec.Value("title", "TITLE", "a title for the plugin (default: its package name)"),
                OptionSpec.Value("visibility", "VISIBILITY", "private, tenant (default) or global", 'l'),
                OptionSpec.Flag("private-resource", "upload as private (same as --visibility private)"),
            ],
            UploadAsync),
        new(
            "plugins list",
            "List plugins",
            [],
            [
                OptionSpec.Value("search", "TEXT", "only plugins whose package name contains TEXT"),
                OptionSpec.Value("sort-by", "FIELD", "sort by this field (default uploaded_at)"),
                OptionSpec.Flag("descending", "sort in descending order"),
                OptionSpec.Json,
            ],
            ListAsync),
        new("plugins get", "Show one plugin", ["ID"], [OptionSpec.Json], GetAsync),
        new("plugins delete", "Delete a plugin", ["ID"], [OptionSpec.Flag("force", "delete even if blueprints use it", 'f')], DeleteAsync),
        new(
            "plugins download",
            "Save a plugin's wagon",
            ["ID"],
            [
                OptionSpec.Value("output-path", "FILE", "where to write (default <id>.wgn, or <id>.zip with --full-archive)", 'o'),
                OptionSpec.Flag("full-archive", "a zip of the wagon and its yaml files"),
            ],
            DownloadAsync),
    ];

    private static async Task<int> UploadAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var wagon = context.Command.Argument("WAGON");
        var yamls = context.Command.Values("yaml-path");
        foreach (var path in yamls.Prepend(wagon))
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"No such file: {path}");
            }
        }

        var visibility = context.Command.Value("visibility");
        if (context.Command.Has("private-resource"))
        {
            visibility = visibility is null or "private" ? "private" : throw new UsageException("--private-resource and --visibility cannot be used together");
        }

        visibility ??= "tenant";
        if (!Visibilities.Contains(visibility))
        {
            throw new UsageException($"Invalid visibility: `{visibility}`. Valid values are: {string.Join(", ", Visibilities)}");
        }

        var client = await context.ClientAsync(cancellationToken);
        await context.Out.WriteLineAsync(yamls.Count > 0 ? "Uploading plugin archive (wagon + yaml).." : "Uploading plugin wagon..");
        var plugin = await client.Plugins.UploadAsync(wagon, yamls, context.Command.Value("title"), visibility, cancellationToken);
        await context.Out.WriteLineAsync($"Plugin uploaded. Plugin's id is {plugin.Id}");
        return CliApp.Ok;
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var sort = context.Command.Value("sort-by") ?? "uploaded_at";
        var options = new ListOptions
        {
            Search = context.Command.Value("search"),
            Sort = [context.Command.Has("descending") ? "-" + sort : sort],
        };
        var items = await Listing.AllAsync(client.Plugins.ListAsync, cancellationToken, options);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Plugins:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, items.Select(Row)));
        await context.Out.WriteLineAsync($"Showing {items.Count} of {items.Count} plugins");
        return CliApp.Ok;
    }

    private static async Task<int> GetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var plugin = await client.Plugins.GetAsync(context.Command.Argument("ID"), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, plugin);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Plugin:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, [Row(plugin)]));
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync($"Title: {plugin.Title}");
        await context.Out.WriteLineAsync($"Archive: {plugin.ArchiveName}");
        await context.Out.WriteLineAsync($"Supported platform: {Cells.Value(plugin.SupportedPlatform)}");
        await context.Out.WriteLineAsync($"Yaml files: {string.Join(", ", plugin.YamlFilesPaths ?? [])}");
        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var id = context.Command.Argument("ID");
        await context.Out.WriteLineAsync($"Deleting plugin {id}...");
        await client.Plugins.DeleteAsync(id, context.Command.Has("force"), cancellationToken);
        await context.Out.WriteLineAsync("Plugin deleted");
        return CliApp.Ok;
    }

    private static async Task<int> DownloadAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var id = context.Command.Argument("ID");
        var full = context.Command.Has("full-archive");
        var target = context.Command.Value("output-path") ?? (full ? $"{id}.zip" : $"{id}.wgn");
        await context.Out.WriteLineAsync($"Downloading plugin {id}...");
        await using (var file = File.Create(target))
        {
            await client.Plugins.DownloadAsync(id, file, full, cancellationToken);
        }

        await context.Out.WriteLineAsync($"Plugin downloaded as {target}");
        return CliApp.Ok;
    }

    private static string?[] Row(Plugin p) =>
        [p.Id, p.PackageName, p.PackageVersion, p.Distribution, p.DistributionRelease, Cells.Time(p.UploadedAt), p.Visibility, p.TenantName, p.CreatedBy, p.YamlUrlPath];
}
