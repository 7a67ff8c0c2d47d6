namespace Stratus.Server.Manager;

/// <summary>What this manager says about itself (version, edition, host).</summary>
internal static class ManagerInfo
{
    /// <summary>The Cloudify API level Stratus speaks; clients compare it, so it stays a Cloudify version.</summary>
    public const string Version = "7.1.0";

    public const string Edition = "community";

    public const string Distribution = "stratus";
}
