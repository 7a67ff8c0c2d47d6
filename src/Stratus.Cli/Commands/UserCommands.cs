using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>cfy's <c>users list/get/create/delete/set-password/set-role/activate/deactivate/unlock</c>. Passwords are never printed.</summary>
internal static class UserCommands
{
    private static readonly string[] Columns = ["username", "groups", "role", "group_system_roles", "active", "last_login_at", "is_locked", "tenants"];

    private static readonly OptionSpec Password = OptionSpec.Value("password", "PASSWORD", "the user's password", 'p');

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("users list", "List users", [], [OptionSpec.Flag("get-data", "show tenants and roles"), OptionSpec.Json], ListAsync),
        new("users get", "Show one user", ["USERNAME"], [OptionSpec.Flag("get-data", "show tenants and roles"), OptionSpec.Json], GetAsync),
        new(
            "users create",
            "Create a user",
            ["USERNAME"],
            [
                Password,
                OptionSpec.Value("security-role", "ROLE", "system role: default (default) or sys_admin", 'r'),
                OptionSpec.Value("tenant-name", "TENANT", "also add the user to this tenant", 't'),
                OptionSpec.Value("user-tenant-role", "ROLE", "the user's role in --tenant-name", 'l'),
            ],
            CreateAsync),
        new("users delete", "Delete a user", ["USERNAME"], [], (c, ct) => SimpleAsync(c, "deleted", (cl, u, t) => cl.Identity.DeleteUserAsync(u, t), ct)),
        new("users set-password", "Set a user's password", ["USERNAME"], [Password], SetPasswordAsync),
        new(
            "users set-role",
            "Set a user's system role",
            ["USERNAME"],
            [OptionSpec.Value("security-role", "ROLE", "default or sys_admin", 'r')],
            SetRoleAsync),
        new("users activate", "Activate a user", ["USERNAME"], [], (c, ct) => SimpleAsync(c, "activated", (cl, u, t) => cl.Identity.SetActiveAsync(u, true, t), ct)),
        new("users deactivate", "Deactivate a user", ["USERNAME"], [], (c, ct) => SimpleAsync(c, "deactivated", (cl, u, t) => cl.Identity.SetActiveAsync(u, false, t), ct)),
        new("users unlock", "Unlock a locked user", ["USERNAME"], [], (c, ct) => SimpleAsync(c, "unlocked", (cl, u, t) => cl.Identity.UnlockAsync(u, t), ct)),
    ];

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var page = await client.Identity.ListUsersAsync(context.Command.Has("get-data"), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, page.Items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Users:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, page.Items.Select(Row)));
        await context.Out.WriteLineAsync($"Showing {page.Items.Count} of {page.Metadata.Pagination.Total} users");
        return CliApp.Ok;
    }

    private static async Task<int> GetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var user = await client.Identity.GetUserAsync(context.Command.Argument("USERNAME"), context.Command.Has("get-data"), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, user);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Requested user info:");
        foreach (var (name, cell) in Columns.Zip(Row(user)))
        {
            await context.Out.WriteLineAsync($"{name,-20}{cell}");
        }

        return CliApp.Ok;
    }

    private static async Task<int> CreateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var username = command.Argument("USERNAME");
        var password = command.Required("password");
        var role = command.Value("security-role") ?? "default";
        var tenant = command.Value("tenant-name");
        var tenantRole = command.Value("user-tenant-role");
        if (tenant is not null && tenantRole is null)
        {
            throw new UsageException("--user-tenant-role is required with --tenant-name", command.Spec);
        }

        var client = await context.ClientAsync(cancellationToken);
        await client.Identity.CreateUserAsync(username, password, role, cancellationToken);
        await context.Out.WriteLineAsync($"User `{username}` created with `{role}` security role");
        if (tenant is not null)
        {
            await client.Identity.AddToTenantAsync(username, tenant, tenantRole!, group: false, cancellationToken);
            await context.Out.WriteLineAsync($"User `{username}` added successfully to tenant `{tenant}` with `{tenantRole}` role");
        }

        return CliApp.Ok;
    }

    private static async Task<int> SetPasswordAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var username = context.Command.Argument("USERNAME");
        var password = context.Command.Required("password");
        var client = await context.ClientAsync(cancellationToken);
        await client.Identity.SetPasswordAsync(username, password, cancellationToken);
        await context.Out.WriteLineAsync($"New password set for user `{username}`");
        return CliApp.Ok;
    }

    private static async Task<int> SetRoleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var username = context.Command.Argument("USERNAME");
        var role = context.Command.Required("security-role");
        var client = await context.ClientAsync(cancellationToken);
        await client.Identity.SetRoleAsync(username, role, cancellationToken);
        await context.Out.WriteLineAsync($"New role `{role}` set for user `{username}`");
        return CliApp.Ok;
    }

    private static async Task<int> SimpleAsync(
        CommandContext context, string done, Func<Client.StratusClient, string, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var username = context.Command.Argument("USERNAME");
        var client = await context.ClientAsync(cancellationToken);
        await call(client, username, cancellationToken);
        await context.Out.WriteLineAsync($"User `{username}` {done}");
        return CliApp.Ok;
    }

    private static string?[] Row(User u) =>
    [
        u.Username, Cells.Value(u.Groups), u.Role, Cells.Value(u.GroupSystemRoles), u.Active ? "True" : "False", Cells.Time(u.LastLoginAt),
        u.IsLocked ? "True" : "False", Cells.Value(u.TenantRoles ?? u.Tenants),
    ];
}
