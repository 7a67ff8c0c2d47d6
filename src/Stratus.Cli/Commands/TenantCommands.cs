using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>cfy's <c>tenants list/create/delete/add-user/update-user/remove-user/add-user-group/remove-user-group</c>.</summary>
internal static class TenantCommands
{
    private static readonly OptionSpec TenantName = OptionSpec.Value("tenant-name", "TENANT", "the tenant", 't');

    private static readonly OptionSpec Role = OptionSpec.Value("role", "ROLE", "tenant role: manager, user, operations or viewer", 'r');

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("tenants list", "List tenants", [], [OptionSpec.Flag("get-data", "show users and groups with their roles"), OptionSpec.Json], ListAsync),
        new("tenants create", "Create a tenant", ["TENANT_NAME"], [], CreateAsync),
        new("tenants delete", "Delete a tenant (it must hold no users, groups or resources)", ["TENANT_NAME"], [], DeleteAsync),
        new("tenants add-user", "Add a user to a tenant", ["USERNAME"], [TenantName, Role], (c, ct) => MemberAsync(c, group: false, MemberChange.Add, ct)),
        new("tenants update-user", "Change a user's role in a tenant", ["USERNAME"], [TenantName, Role], (c, ct) => MemberAsync(c, group: false, MemberChange.Update, ct)),
        new("tenants remove-user", "Remove a user from a tenant", ["USERNAME"], [TenantName], (c, ct) => MemberAsync(c, group: false, MemberChange.Remove, ct)),
        new("tenants add-user-group", "Add a user group to a tenant", ["USER_GROUP_NAME"], [TenantName, Role], (c, ct) => MemberAsync(c, group: true, MemberChange.Add, ct)),
        new("tenants remove-user-group", "Remove a user group from a tenant", ["USER_GROUP_NAME"], [TenantName], (c, ct) => MemberAsync(c, group: true, MemberChange.Remove, ct)),
    ];

    private enum MemberChange
    {
        Add,
        Update,
        Remove,
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var getData = context.Command.Has("get-data");
        var page = await client.Identity.ListTenantsAsync(getData, cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, page.Items);
            return CliApp.Ok;
        }

        string[] columns = getData ? ["name", "groups", "direct_users", "group_users"] : ["name", "groups", "users"];
        await context.Out.WriteLineAsync("Tenants:");
        await context.Out.WriteAsync(TableRenderer.Render(columns, page.Items.Select(t => Row(t, getData))));
        await context.Out.WriteLineAsync($"Showing {page.Items.Count} of {page.Metadata.Pagination.Total} tenants");
        return CliApp.Ok;
    }

    private static async Task<int> CreateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var name = context.Command.Argument("TENANT_NAME");
        var client = await context.ClientAsync(cancellationToken);
        await client.Identity.CreateTenantAsync(name, cancellationToken);
        await context.Out.WriteLineAsync($"Tenant `{name}` created");
        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var name = context.Command.Argument("TENANT_NAME");
        var client = await context.ClientAsync(cancellationToken);
        await client.Identity.DeleteTenantAsync(name, cancellationToken);
        await context.Out.WriteLineAsync($"Tenant `{name}` deleted");
        return CliApp.Ok;
    }

    private static async Task<int> MemberAsync(CommandContext context, bool group, MemberChange change, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var member = command.Argument(group ? "USER_GROUP_NAME" : "USERNAME");
        var tenant = command.Required("tenant-name");
        var what = group ? "User group" : "User";
        var client = await context.ClientAsync(cancellationToken);
        switch (change)
        {
            case MemberChange.Add:
                var role = command.Required("role");
                await client.Identity.AddToTenantAsync(member, tenant, role, group, cancellationToken);
                await context.Out.WriteLineAsync($"{what} `{member}` added successfully to tenant `{tenant}` with role `{role}`");
                break;
            case MemberChange.Update:
                var newRole = command.Required("role");
                await client.Identity.UpdateInTenantAsync(member, tenant, newRole, group, cancellationToken);
                await context.Out.WriteLineAsync($"{what} `{member}` updated successfully in tenant `{tenant}` to role `{newRole}`");
                break;
            default:
                await client.Identity.RemoveFromTenantAsync(member, tenant, group, cancellationToken);
                await context.Out.WriteLineAsync($"{what} `{member}` removed successfully from tenant `{tenant}`");
                break;
        }

        return CliApp.Ok;
    }

    private static string?[] Row(Tenant t, bool getData) => getData
        ? [t.Name, Cells.Value(t.Groups), Cells.Value(t.UserRoles?["direct"]), Cells.Value(t.UserRoles?["groups"])]
        : [t.Name, Cells.Value(t.Groups), Cells.Value(t.Users)];
}
