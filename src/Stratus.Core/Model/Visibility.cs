namespace Stratus.Core.Model;

public static class Visibility
{
    public const string Private = "private";
    public const string Tenant = "tenant";
    public const string Global = "global";

    public static readonly IReadOnlyList<string> All = [Private, Tenant, Global];
}
