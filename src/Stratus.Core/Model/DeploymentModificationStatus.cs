namespace Stratus.Core.Model;

/// <summary>Cloudify's DeploymentModificationState: started, then finished or rolledback (both end states).</summary>
public static class DeploymentModificationStatus
{
    public const string Started = "started";
    public const string Finished = "finished";
    public const string RolledBack = "rolledback";

    public static IReadOnlyList<string> All { get; } = [Started, Finished, RolledBack];
}
