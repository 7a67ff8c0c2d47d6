using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

internal static class BlueprintCommands
{
    private static readonly string[] Columns =
        ["id", "description", "main_file_name", "created_at", "updated_at", "visibility", "tenant_name", "created_by", "state"];

    private static readonly OptionSpec BlueprintId = OptionSpec.Value("blueprint-id", "ID", "blueprint id (default: the folder name)", 'b');

    private static readonly OptionSpec MainFile =
        OptionSpec.Value("blueprint-filename", "FILE", "main YAML file inside the folder or archive (default blueprint.yaml)", 'n');

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("blueprints upload", "Upload a blueprint folder, YAML file or archive", ["PATH"], [BlueprintId, MainFile, DeploymentCommands.Labels], UploadAsync),
        new("blueprints list", "List blueprints", [], [OptionSpec.Json], ListAsync),
        new("blueprints get", "Show one blueprint and its deployments", ["ID"], [OptionSpec.Json], GetAsync),
        new("blueprints delete", "Delete a blueprint", ["ID"], [OptionSpec.Flag("force", "delete even if deployments use it", 'f')], DeleteAsync),
        new("blueprints validate", "Check a blueprint offline and print every error as file:line:col", ["PATH"], [MainFile], ValidateAsync),
        new("blueprints download", "Save a blueprint's archive", ["ID"], [OptionSpec.Value("output-path", "FILE", "where to write (default <id>.tar.gz)", 'o')], DownloadAsync),
    ];

    public static async Task<Blueprint> UploadAsync(
        CommandContext context, string path, string blueprintId, string? mainFile, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        await context.Out.WriteLineAsync($"Uploading blueprint {path}...");
        var labels = context.Command.Value("labels") is { } raw ? LabelsParser.ParsePairs(raw) : [];
        var archive = await BlueprintArchive.FromPathAsync(path, mainFile, cancellationToken);
        var spinner = new Spinner(context.Console);
        spinner.Tick($"parsing blueprint {blueprintId}");
        try
        {
            return await client.Blueprints.UploadAsync(blueprintId, archive, labels, cancellationToken);
        }
        finally
        {
            spinner.Clear();
        }
    }

    /// <summary>cfy's default: the name of the folder holding the blueprint (or the archive's name).</summary>
    public static string DefaultId(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        }

        if (BlueprintArchive.IsArchive(full))
        {
            var name = Path.GetFileName(full);
            return name[..name.IndexOf('.', StringComparison.Ordinal)];
        }

        return Path.GetFileName(Path.GetDirectoryName(full)) ?? Path.GetFileNameWithoutExtension(full);
    }

    private static async Task<int> UploadAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var path = context.Command.Argument("PATH");
        var id = context.Command.Value("blueprint-id") ?? DefaultId(path);
        var blueprint = await UploadAsync(context, path, id, context.Command.Value("blueprint-filename"), cancellationToken);
        await context.Out.WriteLineAsync($"Blueprint uploaded. The blueprint's id is {blueprint.Id}");
        return CliApp.Ok;
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var items = await Listing.AllAsync(client.Blueprints.ListAsync, cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Blueprints:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, items.Select(b => Row(b with { Description = Trim(b.Description) }))));
        return CliApp.Ok;
    }

    /// <summary>The list keeps descriptions short, as cfy does (<c>blueprints get</c> shows them whole).</summary>
    internal static string Trim(string? description)
    {
        const int limit = 20;
        var text = description?.Trim() ?? "";
        return text.Length >= limit ? string.Concat(text.AsSpan(0, limit - 2), "..") : text;
    }

    private static async Task<int> GetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var id = context.Command.Argument("ID");
        var blueprint = await client.Blueprints.GetAsync(id, cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, blueprint);
            return CliApp.Ok;
        }

        var filter = new ListOptions().WithFilter("blueprint_id", id);
        var deployments = await Listing.AllAsync((o, ct) => client.Deployments.ListAsync(o, ct), cancellationToken, filter);
        await context.Out.WriteLineAsync("Blueprint:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, [Row(blueprint)]));
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync($"Description:\n{blueprint.Description?.Trim()}");
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync("Existing deployments:");
        await context.Out.WriteLineAsync($"[{string.Join(", ", deployments.Select(d => d.Id))}]");
        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var id = context.Command.Argument("ID");
        await context.Out.WriteLineAsync($"Deleting blueprint {id}...");
        await client.Blueprints.DeleteAsync(id, context.Command.Has("force"), cancellationToken);
        await context.Out.WriteLineAsync("Blueprint deleted");
        return CliApp.Ok;
    }

    private static Task<int> ValidateAsync(CommandContext context, CancellationToken cancellationToken) =>
        OfflineValidator.RunAsync(context, context.Command.Argument("PATH"), context.Command.Value("blueprint-filename"), cancellationToken);

    private static async Task<int> DownloadAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var id = context.Command.Argument("ID");
        var target = context.Command.Value("output-path") ?? $"{id}.tar.gz";
        await context.Out.WriteLineAsync($"Downloading blueprint {id}...");
        await using (var file = File.Create(target))
        {
            await client.Blueprints.DownloadArchiveAsync(id, file, cancellationToken);
        }

        await context.Out.WriteLineAsync($"Blueprint downloaded as {target}");
        return CliApp.Ok;
    }

    private static string?[] Row(Blueprint b) =>
        [b.Id, b.Description, b.MainFileName, Cells.Time(b.CreatedAt), Cells.Time(b.UpdatedAt), b.Visibility, b.TenantName, b.CreatedBy, b.State];
}
