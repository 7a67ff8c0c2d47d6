using Stratus.Cli.Connection;
using Stratus.Cli.Parsing;

namespace Stratus.Cli.Commands;

internal static class ProfileCommands
{
    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("profiles use", "Save the manager URL and credentials to ~/.stratus/profile.json (mode 0600)", ["URL"],
        [
            OptionSpec.Value("manager-username", "USER", "user name (default admin)", 'u'),
            OptionSpec.Value("manager-password", "PW", "password", 'p'),
            OptionSpec.Value("manager-tenant", "TENANT", "tenant (default default_tenant)", 't'),
        ], UseAsync),
        new("profiles show", "Show the connection the CLI will use (password hidden)", [], [], ShowAsync),
    ];

    private static async Task<int> UseAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var url = context.Command.Argument("URL");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != "http" && address.Scheme != "https"))
        {
            throw new UsageException($"'{url}' is not an http(s) URL, e.g. http://127.0.0.1:8100", context.Command.Spec);
        }

        var store = new ProfileStore(context.Environment.HomeDirectory);
        var profile = new CliProfile
        {
            ManagerUrl = url.TrimEnd('/'),
            Username = context.Command.Value("manager-username") ?? "admin",
            Password = context.Command.Value("manager-password"),
            Tenant = context.Command.Value("manager-tenant") ?? Client.StratusClientOptions.DefaultTenant,
        };
        await store.SaveAsync(profile, cancellationToken);
        await context.Out.WriteLineAsync($"Using manager {profile.ManagerUrl} as {profile.Username} (tenant {profile.Tenant}); saved to {store.FilePath}");
        return CliApp.Ok;
    }

    private static async Task<int> ShowAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var options = await ConnectionSettings.ResolveAsync(context.Environment, cancellationToken);
        await context.Out.WriteLineAsync($"Manager:  {options.BaseAddress}");
        await context.Out.WriteLineAsync($"Username: {options.Username}");
        await context.Out.WriteLineAsync($"Password: {(options.Password is null ? "(not set)" : "********")}");
        await context.Out.WriteLineAsync($"Tenant:   {options.Tenant}");
        return CliApp.Ok;
    }
}
