namespace Stratus.Agent.Manager;

/// <summary>
/// How a standalone agent authenticates its own calls (registration, heartbeats): a user and password, or an API
/// token, in a tenant. Operations use their execution's token instead. Never printed: <see cref="ToString"/> hides it.
/// </summary>
public sealed class AgentCredentials
{
    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? Token { get; set; }

    public string Tenant { get; set; } = "default_tenant";

    public bool IsComplete => !string.IsNullOrEmpty(Token) || (!string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password));

    public override string ToString() => $"AgentCredentials {{ Username = {Username}, Tenant = {Tenant}, Token = {(Token is null ? "none" : "***")} }}";
}
