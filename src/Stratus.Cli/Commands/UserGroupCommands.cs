using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>cfy's <c>user-groups list/create/delete/add-user/remove-user</c>.</summary>
internal static class UserGroupCommands
{
    private static readonly string[] Columns = ["name", "role", "tenants", "users"];

    private static readonly OptionSpec GroupName = OptionSpec.Value("group-name", "GROUP", "the user group", 'g');

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("user-groups list", "List user groups", [], [OptionSpec.Flag("get-data", "show tenants and users"), OptionSpec.Json], ListAsync),
        new(
            "user-groups create",
            "Create a user group",
            ["GROUP_NAME"],
            [
                OptionSpec.Value("security-role", "ROLE", "system role of its members: default (default) or sys_admin", 'r'),
                OptionSpec.Value("ldap-distinguished-name", "DN", "the LDAP group it mirrors", 'l'),
            ],
            CreateAsync),
        new("user-groups delete", "Delete a user group", ["GROUP_NAME"], [], DeleteAsync),
        new("user-groups add-user", "Add a user to a user group", ["USERNAME"], [GroupName], (c, ct) => MembershipAsync(c, add: true, ct)),
        new("user-groups remove-user", "Remove a user from a user group", ["USERNAME"], [GroupName], (c, ct) => MembershipAsync(c, add: false, ct)),
    ];

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var page = await client.Identity.ListGroupsAsync(context.Command.Has("get-data"), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, page.Items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("User groups:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, page.Items.Select(Row)));
        await context.Out.WriteLineAsync($"Showing {page.Items.Count} of {page.Metadata.Pagination.Total} user groups");
        return CliApp.Ok;
    }

    private static async Task<int> CreateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var name = context.Command.Argument("GROUP_NAME");
        var client = await context.ClientAsync(cancellationToken);
        await client.Identity.CreateGroupAsync(
            name, context.Command.Value("security-role") ?? "default", context.Command.Value("ldap-distinguished-name"), cancellationToken);
        await context.Out.WriteLineAsync($"Group `{name}` created");
        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var name = context.Command.Argument("GROUP_NAME");
        var client = await context.ClientAsync(cancellationToken);
        await client.Identity.DeleteGroupAsync(name, cancellationToken);
        await context.Out.WriteLineAsync($"Group `{name}` deleted");
        return CliApp.Ok;
    }

    private static async Task<int> MembershipAsync(CommandContext context, bool add, CancellationToken cancellationToken)
    {
        var username = context.Command.Argument("USERNAME");
        var group = context.Command.Required("group-name");
        var client = await context.ClientAsync(cancellationToken);
        if (add)
        {
            await client.Identity.AddUserToGroupAsync(username, group, cancellationToken);
            await context.Out.WriteLineAsync($"User `{username}` added successfully to user group `{group}`");
        }
        else
        {
            await client.Identity.RemoveUserFromGroupAsync(username, group, cancellationToken);
            await context.Out.WriteLineAsync($"User `{username}` removed successfully from user group `{group}`");
        }

        return CliApp.Ok;
    }

    private static string?[] Row(UserGroup g) => [g.Name, g.Role, Cells.Value(g.Tenants), Cells.Value(g.Users)];
}
