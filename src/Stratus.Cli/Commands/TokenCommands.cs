using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>cfy's <c>tokens create/list/delete</c>. Only <c>create</c> shows a secret, once.</summary>
internal static class TokenCommands
{
    private static readonly string[] Columns = ["id", "role", "description", "expiration_date", "last_used"];

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new(
            "tokens create",
            "Create an API token for the current user",
            [],
            [
                OptionSpec.Value("expiry", "WHEN", "expiration, e.g. +10h or 2121-03-09 14:52 (UTC)", 'e'),
                OptionSpec.Value("description", "TEXT", "what the token is for", 'd'),
                OptionSpec.Json,
            ],
            CreateAsync),
        new("tokens list", "List API tokens (a sys_admin sees everyone's)", [], [OptionSpec.Json], ListAsync),
        new("tokens delete", "Delete an API token", ["TOKEN_ID"], [], DeleteAsync),
    ];

    private static async Task<int> CreateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var token = await client.Identity.CreateTokenAsync(context.Command.Value("description"), context.Command.Value("expiry"), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, token);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("REST token:");
        foreach (var (name, cell) in Columns.Append("value").Zip(Row(token).Append(token.Value)))
        {
            await context.Out.WriteLineAsync($"{name,-17}{cell}");
        }

        return CliApp.Ok;
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var page = await client.Identity.ListTokensAsync(cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, page.Items);
            return CliApp.Ok;
        }

        // Like cfy, the owner column appears only when the list mixes users (an administrator's view).
        var mixed = page.Items.Select(t => t.Username).Distinct(StringComparer.Ordinal).Skip(1).Any();
        var columns = mixed ? [.. Columns, "username"] : Columns;
        await context.Out.WriteLineAsync("Token listing:");
        await context.Out.WriteAsync(TableRenderer.Render(columns, page.Items.Select(t => mixed ? [.. Row(t), t.Username] : Row(t))));
        await context.Out.WriteLineAsync($"Showing {page.Items.Count} of {page.Metadata.Pagination.Total} tokens");
        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var id = context.Command.Argument("TOKEN_ID");
        var client = await context.ClientAsync(cancellationToken);
        await client.Identity.DeleteTokenAsync(id, cancellationToken);
        await context.Out.WriteLineAsync($"Token {id} deleted");
        return CliApp.Ok;
    }

    private static string?[] Row(ApiToken t) => [t.Id, t.Role, t.Description, Cells.Time(t.ExpirationDate), Cells.Time(t.LastUsed)];
}
