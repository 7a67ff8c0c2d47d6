using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Server.Auth;
using Stratus.Server.Deployments;
using Stratus.Server.Dsl;
using Stratus.Server.Http;
using Stratus.Server.Secrets;
using Stratus.Storage;
using Stratus.Workflows.Queue;

namespace Stratus.Server.Executions;

/// <summary>Starts executions (row first, then the workflow message) and requests cancellation by compare-and-set.</summary>
internal sealed partial class ExecutionService(
    IStratusStore store, IMessageBroker broker, IDslService dsl, SecretService secrets, ExecutionQueue queue, TimeProvider timeProvider)
{
    public async Task<Execution> StartAsync(Caller caller, JsonObject body, CancellationToken cancellationToken)
    {
        var deploymentId = Wire.GetString(body, "deployment_id") ?? throw StratusException.BadParameters("deployment_id is required");
        var workflowId = Wire.GetString(body, "workflow_id") ?? throw StratusException.BadParameters("workflow_id is required");
        var given = body["parameters"] switch
        {
            null => [],
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw StratusException.BadParameters("parameters: expected a dict"),
        };
        var allowCustom = Wire.ParseBool("allow_custom_parameters", body["allow_custom_parameters"], false);
        var force = Wire.ParseBool("force", body["force"], false);
        var dryRun = Wire.ParseBool("dry_run", body["dry_run"], false);
        var queue = Wire.ParseBool("queue", body["queue"], false);

        var deployment = caller.Visible(await store.GetDeploymentAsync(caller.Tenant, deploymentId, cancellationToken))
            ?? throw ResourceIds.NotFound("Deployment", deploymentId);
        if (deployment.Workflows[workflowId] is not JsonObject workflow)
        {
            throw new StratusException(ErrorCodes.NonexistentWorkflow, 400, $"Workflow {workflowId} does not exist in the deployment {deploymentId}");
        }

        var parameters = await WorkflowParameters.MergeAsync(
            workflowId, workflow["parameters"] as JsonObject, given, allowCustom, deployment, caller, store, dsl, secrets.CacheFor(caller), cancellationToken);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var execution = new Execution
        {
            Id = Guid.NewGuid().ToString(),
            TenantName = caller.Tenant,
            CreatedBy = caller.Username,
            Visibility = deployment.Visibility,
            WorkflowId = workflowId,
            DeploymentId = deploymentId,
            BlueprintId = deployment.BlueprintId,
            Status = ExecutionStatus.Pending,
            Parameters = parameters,
            IsDryRun = dryRun,
            AllowCustomParameters = allowCustom,
            CreatedAt = timeProvider.GetUtcNow(),
            TokenHash = HashToken(token),
        };
        try
        {
            await store.InsertExecutionAsync(execution, exclusiveOnDeployment: !force, cancellationToken);
        }
        catch (StratusException e) when (e.ErrorCode == ErrorCodes.ExistingRunningExecution)
        {
            if (!queue)
            {
                throw await RunningExecutionErrorAsync(caller, deploymentId, e, cancellationToken);
            }

            execution = execution with { Status = ExecutionStatus.Queued };
            await store.InsertExecutionAsync(execution, exclusiveOnDeployment: false, cancellationToken);
        }

        if (execution.Status == ExecutionStatus.Pending)
        {
            // Checkpoint: the row exists before the message. If the process dies here the execution stays pending
            // without a message; the engine's resume-on-start picks up what was left, and a message never points at
            // a missing row.
            await PublishAsync(execution, token, workflow, CancellationToken.None);
        }

        await store.UpdateDeploymentStatusAsync(caller.Tenant, deploymentId, null, null, execution.Id, CancellationToken.None);
        return execution;
    }

    /// <summary>Publishes the start message of a pending execution (the plain token goes only into the message).</summary>
    private async Task PublishAsync(Execution execution, string token, JsonObject? workflow, CancellationToken cancellationToken)
    {
        var message = new WorkflowStartMessage
        {
            ExecutionId = execution.Id,
            WorkflowId = execution.WorkflowId,
            TaskName = workflow?["operation"]?.GetValue<string>() ?? WorkflowStartMessage.BuiltInTaskName(execution.WorkflowId),
            TenantName = execution.TenantName,
            DeploymentId = execution.DeploymentId,
            BlueprintId = execution.BlueprintId,
            ExecutionToken = token,
            ExecutionCreatorUsername = execution.CreatedBy,
            Parameters = (JsonObject)execution.Parameters.DeepClone(),
            DryRun = execution.IsDryRun,
            Resume = execution.Resume,
        };
        await broker.PublishAsync(
            QueueNames.Workflows,
            new OutgoingMessage { Body = message.ToBody(), MessageId = execution.Id, CorrelationId = execution.Id },
            cancellationToken);
    }

    /// <summary>SHA-256 of the token's UTF-8 bytes, lower-case hex: what the store keeps and Execution-Token auth compares.</summary>
    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private async Task<StratusException> RunningExecutionErrorAsync(Caller caller, string deploymentId, StratusException original, CancellationToken cancellationToken)
    {
        var query = DeploymentReads.In("deployment_id", [deploymentId]) with
        {
            Filters = new Dictionary<string, IReadOnlyList<string>>
            {
                ["deployment_id"] = [deploymentId],
                ["status"] = [.. ExecutionStatus.ActiveStates, ExecutionStatus.Queued],
            },
        };
        var running = await store.ListExecutionsAsync(caller.Tenant, query, cancellationToken);
        if (running.Items.Count == 0)
        {
            return original;
        }

        var list = string.Join(", ", running.Items.Select(e => $"<Execution id=`{e.Id}` tenant=`{e.TenantName}` status=`{e.Status}` workflow_id=`{e.WorkflowId}`>"));
        return new StratusException(
            ErrorCodes.ExistingRunningExecution,
            400,
            $"The following executions are currently running for this deployment: [{list}]. To execute this workflow anyway, pass \"force=true\" as a query parameter to this request");
    }
}
