using Stratus.Cli.Parsing;

namespace Stratus.Cli.Commands;

/// <summary>Every verb the CLI knows, in the order help lists them.</summary>
internal static class CommandCatalog
{
    public static IReadOnlyList<CommandSpec> All { get; } =
    [
        .. ManagerCommands.Specs(),
        .. AgentCommands.Specs(),
        .. ProfileCommands.Specs(),
        .. InstallCommands.Specs(),
        .. BlueprintCommands.Specs(),
        .. PluginCommands.Specs(),
        .. SecretCommands.Specs(),
        .. DeploymentCommands.Specs(),
        .. DeploymentGroupCommands.Specs(),
        .. ModificationCommands.Specs(),
        .. LabelCommands.Specs(),
        .. ScheduleCommands.Specs(),
        .. ExecutionCommands.Specs(),
        .. NodeInstanceCommands.Specs(),
        .. EventCommands.Specs(),
        .. TenantCommands.Specs(),
        .. UserCommands.Specs(),
        .. UserGroupCommands.Specs(),
        .. TokenCommands.Specs(),
    ];
}
