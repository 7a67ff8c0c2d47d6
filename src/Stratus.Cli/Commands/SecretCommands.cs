using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>
/// cfy's <c>secrets create/get/list/update/delete/set-visibility</c>, with its flags. A value is read from
/// <c>--secret-string</c> or <c>--secret-file</c> and shown only by <c>get</c>, never in progress messages.
/// </summary>
internal static class SecretCommands
{
    private static readonly string[] Columns = ["key", "created_at", "updated_at", "visibility", "tenant_name", "created_by", "is_hidden_value", "provider_name"];

    private static readonly string[] Visibilities = ["private", "tenant", "global"];

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new(
            "secrets create",
            "Create a new secret (key-value pair)",
            ["KEY"],
            [
                OptionSpec.Value("secret-string", "VALUE", "the secret's value", 's'),
                OptionSpec.Value("secret-file", "FILE", "read the value from FILE", 'f'),
                OptionSpec.Flag("update-if-exists", "replace the value if the secret exists", 'u'),
                OptionSpec.Value("visibility", "VISIBILITY", "private, tenant (default) or global", 'l'),
                OptionSpec.Flag("hidden-value", "only the creator and administrators may read the value"),
                OptionSpec.Value("schema", "JSON", "a JSON schema the value (then JSON) must follow"),
                OptionSpec.Flag("dict", "the value is a JSON object (schema {\"type\": \"object\"})"),
                OptionSpec.Flag("list", "the value is a JSON list (schema {\"type\": \"array\"})"),
            ],
            CreateAsync),
        new("secrets get", "Show one secret, with its value", ["KEY"], [OptionSpec.Json], GetAsync),
        new(
            "secrets list",
            "List secrets (without values)",
            [],
            [
                OptionSpec.Value("search", "TEXT", "only secrets whose key contains TEXT"),
                OptionSpec.Value("sort-by", "FIELD", "sort by this field (default key)"),
                OptionSpec.Flag("descending", "sort in descending order"),
                OptionSpec.Value("pagination-offset", "N", "skip the first N secrets", 'o'),
                OptionSpec.Value("pagination-size", "N", "show at most N secrets"),
                OptionSpec.Json,
            ],
            ListAsync),
        new(
            "secrets update",
            "Update an existing secret",
            ["KEY"],
            [
                OptionSpec.Value("secret-string", "VALUE", "the new value", 's'),
                OptionSpec.Value("secret-file", "FILE", "read the new value from FILE", 'f'),
                OptionSpec.Value("visibility", "VISIBILITY", "private, tenant or global (only wider than now)", 'l'),
                OptionSpec.Flag("hidden-value", "make the value hidden"),
                OptionSpec.Flag("not-hidden-value", "make the value visible to the tenant"),
            ],
            UpdateAsync),
        new("secrets delete", "Delete a secret", ["KEY"], [], DeleteAsync),
        new(
            "secrets set-visibility",
            "Set the secret's visibility",
            ["KEY"],
            [OptionSpec.Value("visibility", "VISIBILITY", "tenant or global", 'l')],
            SetVisibilityAsync),
    ];

    private static async Task<int> CreateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var key = command.Argument("KEY");
        var visibility = Visibility(command) ?? "tenant";
        var text = await ValueAsync(command, cancellationToken)
            ?? throw new UsageException("Failed to create secret key. Missing option --secret-string or --secret-file.", command.Spec);
        var schema = Schema(command);
        JsonNode value = text;
        if (schema is not null)
        {
            value = ParseTyped(text, schema["type"]?.ToJsonString() ?? "JSON");
        }

        var client = await context.ClientAsync(cancellationToken);
        await client.Secrets.CreateAsync(key, value, command.Has("update-if-exists"), command.Has("hidden-value"), visibility, schema, cancellationToken);
        await context.Out.WriteLineAsync($"Secret `{key}` created");
        return CliApp.Ok;
    }

    private static async Task<int> GetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var secret = await client.Secrets.GetAsync(context.Command.Argument("KEY"), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, secret);
            return CliApp.Ok;
        }

        // Like cfy, a hidden value the caller may not read shows as stars rather than as an empty value.
        var shown = secret.IsHiddenValue && secret.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0
            ? "*********"
            : Cells.Value(secret.Value);
        await context.Out.WriteLineAsync("Requested secret info:");
        foreach (var (name, cell) in Columns.Zip(Row(secret)).Append(("value", shown)).Append(("schema", Cells.Value(secret.Schema))))
        {
            await context.Out.WriteLineAsync($"{name,-16}{cell}");
        }

        return CliApp.Ok;
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var client = await context.ClientAsync(cancellationToken);
        var sort = command.Value("sort-by") ?? "key";
        var options = new ListOptions
        {
            Search = command.Value("search"),
            Sort = [command.Has("descending") ? "-" + sort : sort],
            Offset = NonNegative(command, "pagination-offset"),
            Size = NonNegative(command, "pagination-size"),
        };
        var page = await client.Secrets.ListAsync(options, cancellationToken);
        if (command.Json)
        {
            JsonOutput.Write(context.Out, page.Items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Secrets:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, page.Items.Select(Row)));
        await context.Out.WriteLineAsync($"Showing {page.Items.Count} of {page.Metadata.Pagination.Total} secrets");
        return CliApp.Ok;
    }

    private static async Task<int> UpdateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var key = command.Argument("KEY");
        if (command.Has("hidden-value") && command.Has("not-hidden-value"))
        {
            throw new UsageException("--hidden-value and --not-hidden-value cannot be used together", command.Spec);
        }

        bool? hidden = command.Has("hidden-value") ? true : command.Has("not-hidden-value") ? false : null;
        var visibility = Visibility(command);
        var text = await ValueAsync(command, cancellationToken);
        if (text is null && hidden is null && visibility is null)
        {
            throw new UsageException("Nothing to update: give --secret-string, --secret-file, --visibility or --[not-]hidden-value", command.Spec);
        }

        var client = await context.ClientAsync(cancellationToken);
        JsonNode? value = text;
        if (text is not null && (await client.Secrets.GetAsync(key, cancellationToken)).Schema is { } schema)
        {
            value = ParseTyped(text, schema["type"]?.ToJsonString() ?? "JSON");
        }

        await client.Secrets.UpdateAsync(key, value, visibility, hidden, cancellationToken: cancellationToken);
        await context.Out.WriteLineAsync($"Secret `{key}` updated");
        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var key = context.Command.Argument("KEY");
        var client = await context.ClientAsync(cancellationToken);
        await context.Out.WriteLineAsync($"Deleting secret `{key}`...");
        await client.Secrets.DeleteAsync(key, cancellationToken);
        await context.Out.WriteLineAsync("Secret removed");
        return CliApp.Ok;
    }

    private static async Task<int> SetVisibilityAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var key = command.Argument("KEY");
        var visibility = command.Value("visibility") ?? throw new UsageException("--visibility is required (tenant or global)", command.Spec);
        if (visibility is not ("tenant" or "global"))
        {
            throw new UsageException($"Invalid visibility: `{visibility}`. Valid values are: tenant, global", command.Spec);
        }

        var client = await context.ClientAsync(cancellationToken);
        await client.Secrets.SetVisibilityAsync(key, visibility, cancellationToken);
        await context.Out.WriteLineAsync($"Secret `{key}` was set to {visibility}");
        return CliApp.Ok;
    }

    private static string? Visibility(ParsedCommand command) =>
        command.Value("visibility") is not { } visibility || Visibilities.Contains(visibility)
            ? command.Value("visibility")
            : throw new UsageException($"Invalid visibility: `{visibility}`. Valid values are: {string.Join(", ", Visibilities)}", command.Spec);

    private static async Task<string?> ValueAsync(ParsedCommand command, CancellationToken cancellationToken)
    {
        if (command.Value("secret-file") is not { } file)
        {
            return command.Value("secret-string");
        }

        return File.Exists(file)
            ? await File.ReadAllTextAsync(file, cancellationToken)
            : throw new UsageException($"Failed to create secret key. File does not exist: {file}", command.Spec);
    }

    /// <summary>cfy's <c>--schema</c>, or the one <c>--dict</c> / <c>--list</c> stand for.</summary>
    private static JsonObject? Schema(ParsedCommand command)
    {
        if (command.Has("dict"))
        {
            return new JsonObject { ["type"] = "object" };
        }

        if (command.Has("list"))
        {
            return new JsonObject { ["type"] = "array" };
        }

        if (command.Value("schema") is not { } text)
        {
            return null;
        }

        JsonNode? schema;
        try
        {
            schema = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new UsageException($"Error decoding JSON schema \"{text}\": {e.Message}", command.Spec);
        }

        return schema is JsonObject { } obj && obj["type"] is not null
            ? obj
            : throw new UsageException("Invalid JSON schema. Expected a dict with a \"type\" key", command.Spec);
    }

    /// <summary>The value of a typed secret as JSON; the error names the expected type, never the value.</summary>
    private static JsonNode ParseTyped(string text, string type)
    {
        try
        {
            return JsonNode.Parse(text) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new UsageException($"Error decoding secret value: it is not valid JSON of type {type}");
        }
    }

    private static int? NonNegative(ParsedCommand command, string option) =>
        command.Value(option) is not { } text ? null
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
        : throw new UsageException($"--{option} must be a non-negative number, got '{text}'", command.Spec);

    private static string?[] Row(Secret s) =>
        [s.Key, Cells.Time(s.CreatedAt), Cells.Time(s.UpdatedAt), s.Visibility, s.TenantName, s.CreatedBy, s.IsHiddenValue ? "True" : "False", s.ProviderName];
}
