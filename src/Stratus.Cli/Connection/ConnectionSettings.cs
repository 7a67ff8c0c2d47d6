using Stratus.Client;

namespace Stratus.Cli.Connection;

/// <summary>Resolves manager URL and credentials: defaults, then the profile file, then STRATUS_* variables.</summary>
internal static class ConnectionSettings
{
    public const string UrlVariable = "STRATUS_MANAGER_URL";
    public const string UserVariable = "STRATUS_USERNAME";
    public const string PasswordVariable = "STRATUS_PASSWORD";
    public const string TenantVariable = "STRATUS_TENANT";

    public static async Task<StratusClientOptions> ResolveAsync(CliEnvironment environment, CancellationToken cancellationToken)
    {
        var profile = await new ProfileStore(environment.HomeDirectory).LoadAsync(cancellationToken) ?? new CliProfile();
        var url = environment.Variable(UrlVariable).NullIfEmpty() ?? profile.ManagerUrl ?? StratusClientOptions.DefaultManagerUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != "http" && address.Scheme != "https"))
        {
            throw new CliException($"manager URL '{url}' is not an http(s) URL (set {UrlVariable} or run 'stratus profiles use')");
        }

        return new StratusClientOptions
        {
            BaseAddress = address,
            Username = environment.Variable(UserVariable).NullIfEmpty() ?? profile.Username ?? "admin",
            Password = environment.Variable(PasswordVariable).NullIfEmpty() ?? profile.Password,
            Tenant = environment.Variable(TenantVariable).NullIfEmpty() ?? profile.Tenant ?? StratusClientOptions.DefaultTenant,
        };
    }

    private static string? NullIfEmpty(this string? value) => string.IsNullOrEmpty(value) ? null : value;
}
