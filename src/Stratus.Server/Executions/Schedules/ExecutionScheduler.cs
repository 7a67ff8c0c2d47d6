using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Storage;
using Stratus.Workflows.Queue;

namespace Stratus.Server.Executions.Schedules;

/// <summary>
/// Fires due execution schedules (Cloudify's execution-scheduler service): every <see cref="ManagerOptions.SchedulerInterval"/>
/// of the injected clock it claims each due occurrence by compare-and-set on <c>next_occurrence</c> and starts the
/// workflow through the normal start path with <c>queue=true</c>, then starts what the queue may release.
/// </summary>
internal sealed partial class ExecutionScheduler(
    IStratusStore store,
    ExecutionService executions,
    ExecutionQueue queue,
    ManagerOptions options,
    TimeProvider timeProvider,
    ILogger<ExecutionScheduler> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
            }
#pragma warning disable CA1031 // One failed tick (database away) must not stop the scheduler; the next tick retries.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogTickFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.SchedulerInterval, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One pass: fires every due schedule, then dequeues. Returns the executions started by schedules.</summary>
    public async Task<IReadOnlyList<Execution>> TickAsync(CancellationToken cancellationToken = default)
    {
        var started = new List<Execution>();
        var now = timeProvider.GetUtcNow();
        foreach (var schedule in await store.ListDueExecutionSchedulesAsync(now, BatchSize, cancellationToken))
        {
            if (await FireAsync(schedule, now, cancellationToken) is { } execution)
            {
                started.Add(execution);
            }
        }

        await queue.StartQueuedAsync(cancellationToken);
        return started;
    }

    private async Task<Execution?> FireAsync(ExecutionSchedule schedule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = schedule.NextOccurrence!.Value;
        var next = Occurrences.NextAfter(schedule.Rule, schedule.Since ?? schedule.CreatedAt, schedule.Until, now);
        var latest = schedule.LatestExecutionId is { } id ? await store.GetExecutionAsync(schedule.TenantName, id, cancellationToken) : null;
        var enabled = schedule.Enabled;
        var run = true;
        if (latest is not null && !ExecutionStatus.IsEnd(latest.Status))
        {
            run = false;
        }
        else if (schedule.StopOnFail && latest?.Status == ExecutionStatus.Failed)
        {
            (run, enabled) = (false, false);
            LogDisabled(logger, schedule.Id, schedule.DeploymentId);
        }
        else if (now - due > TimeSpan.FromMinutes(schedule.Slip) + TimeSpan.FromSeconds(60))
        {
            run = false;
        }

        if (!await store.TryAdvanceExecutionScheduleAsync(schedule, due, next, enabled, cancellationToken))
        {
            // Another manager claimed this occurrence (or the schedule was edited meanwhile).
            return null;
        }

        // Checkpoint: the occurrence is claimed before its execution exists. A crash here skips this one occurrence
        // (at most once, as Cloudify's advisory lock gives); the next occurrence fires normally.
        if (!run)
        {
            LogSkipped(logger, schedule.Id, schedule.DeploymentId, due);
            return null;
        }

        try
        {
            var caller = await CallerAsync(schedule, cancellationToken);
            var execution = await executions.StartAsync(caller, StartBody(schedule), cancellationToken);
            await store.SetScheduleLatestExecutionAsync(schedule, execution.Id, cancellationToken);
            LogFired(logger, schedule.Id, schedule.DeploymentId, execution.Id, execution.Status);
            return execution;
        }
        catch (StratusException ex)
        {
            LogStartRefused(logger, schedule.Id, schedule.DeploymentId, ex.ErrorCode, ex.Message);
            return null;
        }
    }

    /// <summary>The schedule runs as its creator, in its tenant, with that user's roles as they are now.</summary>
    private async Task<Caller> CallerAsync(ExecutionSchedule schedule, CancellationToken cancellationToken)
    {
        var user = await store.GetUserAsync(schedule.CreatedBy, cancellationToken)
            ?? throw StratusException.NotFound($"Requested `User` with ID `{schedule.CreatedBy}` was not found");
        var roles = await store.GetUserTenantRolesAsync(user.Username, cancellationToken);
        return new Caller(user.Username, schedule.TenantName, user.Role, roles.GetValueOrDefault(schedule.TenantName), null);
    }

    private static JsonObject StartBody(ExecutionSchedule schedule)
    {
        var arguments = schedule.ExecutionArguments;
        return new JsonObject
        {
            ["deployment_id"] = schedule.DeploymentId,
            ["workflow_id"] = schedule.WorkflowId,
            ["parameters"] = schedule.Parameters?.DeepClone(),
            ["allow_custom_parameters"] = arguments["allow_custom_parameters"]?.DeepClone(),
            ["force"] = arguments["force"]?.DeepClone(),
            ["dry_run"] = arguments["is_dry_run"]?.DeepClone(),
            ["queue"] = true,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId} of deployment {DeploymentId} started execution {ExecutionId} ({Status})")]
    private static partial void LogFired(ILogger logger, string scheduleId, string deploymentId, string executionId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId} of deployment {DeploymentId} skipped its occurrence at {Due}")]
    private static partial void LogSkipped(ILogger logger, string scheduleId, string deploymentId, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {ScheduleId} of deployment {DeploymentId} disabled: its last execution failed and stop_on_fail is set")]
    private static partial void LogDisabled(ILogger logger, string scheduleId, string deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {ScheduleId} of deployment {DeploymentId} could not start its workflow ({ErrorCode}): {Reason}")]
    private static partial void LogStartRefused(ILogger logger, string scheduleId, string deploymentId, string errorCode, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution scheduler tick failed; retrying at the next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
