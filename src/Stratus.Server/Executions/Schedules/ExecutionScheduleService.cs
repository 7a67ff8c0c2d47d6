using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Executions.Schedules;

/// <summary>
/// Execution schedules (Cloudify's <c>execution_schedules.py</c>): create, update, read, delete, and the one-off schedule
/// behind <c>POST /executions</c> with <c>scheduled_time</c>. Every write is one store call, so a refused request
/// leaves nothing behind.
/// </summary>
internal sealed class ExecutionScheduleService(IStratusStore store, TimeProvider timeProvider)
{
    public async Task<JsonObject> CreateAsync(Caller caller, string id, string? deploymentId, JsonObject body, CancellationToken cancellationToken)
    {
        ResourceIds.Validate("schedule_id", id);
        deploymentId = RequireDeploymentId(deploymentId);
        foreach (var required in (string[])["workflow_id", "since"])
        {
            if (!body.ContainsKey(required))
            {
                throw StratusException.BadParameters($"Missing {required} in json request body");
            }
        }

        var workflowId = Wire.GetString(body, "workflow_id") ?? throw StratusException.BadParameters("workflow_id must be a string");
        var arguments = ExecutionArguments(body["execution_arguments"]);
        var parameters = body["parameters"] switch
        {
            null => null,
            JsonObject o => (JsonObject)o.DeepClone(),
            var other => throw StratusException.BadParameters($"parameters: expected a dict, but got: {other.ToJsonString()}"),
        };
        var deployment = await VisibleDeploymentAsync(caller, deploymentId, cancellationToken);
        RequireWorkflow(deployment, workflowId);

        var now = timeProvider.GetUtcNow();
        var since = OptionalTime(body, "since");
        var until = OptionalTime(body, "until");
        var rule = ScheduleRule.Compute(body);
        var schedule = new ExecutionSchedule
        {
            Id = id,
            TenantName = caller.Tenant,
            DeploymentId = deploymentId,
            CreatedBy = caller.Username,
            CreatedAt = now,
            WorkflowId = workflowId,
            Parameters = parameters,
            ExecutionArguments = arguments,
            Since = since,
            Until = until,
            Rule = rule,
            Slip = Slip(body["slip"]) ?? 0,
            StopOnFail = Wire.ParseBool("stop_on_fail", body["stop_on_fail"], false),
            Enabled = Wire.ParseBool("enabled", body["enabled"], true),
            NextOccurrence = Occurrences.NextAfter(rule, since ?? now, until, now),
        };
        await store.InsertExecutionScheduleAsync(schedule, cancellationToken);
        return ExecutionScheduleRenderer.Render(schedule, null, now);
    }

    public async Task<JsonObject> UpdateAsync(Caller caller, string id, string? deploymentId, JsonObject body, CancellationToken cancellationToken)
    {
        var schedule = await GetScheduleAsync(caller, id, deploymentId, cancellationToken);
        var workflowId = Wire.GetString(body, "workflow_id");
        if (!string.IsNullOrEmpty(workflowId))
        {
            RequireWorkflow(await VisibleDeploymentAsync(caller, schedule.DeploymentId, cancellationToken), workflowId);
        }

        var now = timeProvider.GetUtcNow();
        var since = OptionalTime(body, "since") ?? schedule.Since;
        var until = OptionalTime(body, "until") ?? schedule.Until;
        var rule = ScheduleRule.Compute(body, schedule.Rule);
        var updated = schedule with
        {
            WorkflowId = string.IsNullOrEmpty(workflowId) ? schedule.WorkflowId : workflowId,
            Since = since,
            Until = until,
            Rule = rule,
            Slip = Slip(body["slip"]) ?? schedule.Slip,
            StopOnFail = Wire.ParseBool("stop_on_fail", body["stop_on_fail"], schedule.StopOnFail),
            Enabled = Wire.ParseBool("enabled", body["enabled"], schedule.Enabled),
            NextOccurrence = Occurrences.NextAfter(rule, since ?? now, until, now),
        };
        if (!await store.UpdateExecutionScheduleAsync(updated, cancellationToken))
        {
            throw ResourceIds.NotFound("ExecutionSchedule", id);
        }

        return await RenderAsync(updated, cancellationToken);
    }

    public async Task<JsonObject> GetAsync(Caller caller, string id, string? deploymentId, CancellationToken cancellationToken) =>
        await RenderAsync(await GetScheduleAsync(caller, id, deploymentId, cancellationToken), cancellationToken);

    public async Task<JsonObject> ListAsync(Caller caller, ParsedList list, CancellationToken cancellationToken)
    {
        var page = await store.ListExecutionSchedulesAsync(
            caller.Tenant, await ListScope.ForAsync(caller, list, "execution_schedule_list", store, cancellationToken), cancellationToken);
        var statuses = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (tenant, executionId) in page.Items.Where(s => s.LatestExecutionId is not null).Select(s => (s.TenantName, s.LatestExecutionId!)).Distinct())
        {
            statuses[executionId] = (await store.GetExecutionAsync(tenant, executionId, cancellationToken))?.Status;
        }

        var now = timeProvider.GetUtcNow();
        return ListResponse.Create(
            page,
            s => ExecutionScheduleRenderer.Render(s, s.LatestExecutionId is { } e ? statuses.GetValueOrDefault(e) : null, now),
            list.Include);
    }

    public async Task DeleteAsync(Caller caller, string id, string? deploymentId, CancellationToken cancellationToken)
    {
        var schedule = await GetScheduleAsync(caller, id, deploymentId, cancellationToken);
        if (!await store.DeleteExecutionScheduleAsync(schedule.TenantName, schedule.DeploymentId, schedule.Id, cancellationToken))
        {
            throw ResourceIds.NotFound("ExecutionSchedule", id);
        }
    }

    /// <summary>
    /// <c>POST /executions</c> with <c>scheduled_time</c>: Cloudify 7.1 stores a schedule <c>&lt;workflow&gt;_&lt;uuid hex&gt;</c>
    /// that runs once at that time, and answers with an unsaved execution whose only field is its status.
    /// </summary>
    public async Task<JsonObject> ScheduleOnceAsync(Caller caller, JsonObject body, CancellationToken cancellationToken)
    {
        var scheduledTime = Wire.GetString(body, "scheduled_time") ?? throw StratusException.BadParameters("scheduled_time must be a string");
        var deploymentId = Wire.GetString(body, "deployment_id") ?? throw StratusException.BadParameters("Missing deployment_id in json request body");
        var workflowId = Wire.GetString(body, "workflow_id") ?? throw StratusException.BadParameters("Missing workflow_id in json request body");
        if (body["force_status"] is not null)
        {
            throw StratusException.BadParameters("A status cannot be forced when scheduling an execution.");
        }

        var at = ScheduleTimes.ParseScheduledTime(scheduledTime);
        var now = timeProvider.GetUtcNow();
        if (at <= now)
        {
            throw StratusException.BadParameters(
                $"Date `{scheduledTime}` has already passed, please provide valid date. \nExpected format: YYYYMMDDHHMM+HHMM or "
                    + "YYYYMMDDHHMM-HHMM i.e: 201801012230-0500 (Jan-01-18 10:30pm EST)");
        }

        var deployment = await VisibleDeploymentAsync(caller, deploymentId, cancellationToken);
        RequireWorkflow(deployment, workflowId);
        var rule = new JsonObject { ["count"] = 1 };
        var schedule = new ExecutionSchedule
        {
            Id = $"{workflowId}_{Guid.NewGuid():N}",
            TenantName = caller.Tenant,
            DeploymentId = deploymentId,
            CreatedBy = caller.Username,
            CreatedAt = now,
            WorkflowId = workflowId,
            Parameters = body["parameters"]?.DeepClone() as JsonObject,
            ExecutionArguments = new JsonObject
            {
                ["allow_custom_parameters"] = Wire.ParseBool("allow_custom_parameters", body["allow_custom_parameters"], false),
                ["force"] = Wire.ParseBool("force", body["force"], false),
                ["is_dry_run"] = Wire.ParseBool("dry_run", body["dry_run"], false),
                ["wait_after_fail"] = body["wait_after_fail"]?.DeepClone() ?? 600,
            },
            Since = at,
            Rule = rule,
            NextOccurrence = Occurrences.NextAfter(rule, at, null, now),
        };
        await store.InsertExecutionScheduleAsync(schedule, cancellationToken);
        var rendered = new JsonObject();
        foreach (var field in ExecutionRenderer.Fields.Includable)
        {
            rendered[field] = null;
        }

        rendered["status"] = ExecutionStatus.Scheduled;
        rendered["status_display"] = ExecutionStatus.Scheduled;
        return rendered;
    }

    private async Task<JsonObject> RenderAsync(ExecutionSchedule schedule, CancellationToken cancellationToken)
    {
        var latest = schedule.LatestExecutionId is { } e ? await store.GetExecutionAsync(schedule.TenantName, e, cancellationToken) : null;
        return ExecutionScheduleRenderer.Render(schedule, latest?.Status, timeProvider.GetUtcNow());
    }

    private async Task<ExecutionSchedule> GetScheduleAsync(Caller caller, string id, string? deploymentId, CancellationToken cancellationToken)
    {
        deploymentId = RequireDeploymentId(deploymentId);
        var schedule = await store.GetExecutionScheduleAsync(caller.Tenant, deploymentId, id, cancellationToken);
        if (schedule is null || !caller.CanSee(schedule.Visibility, schedule.CreatedBy))
        {
            throw ResourceIds.NotFound("ExecutionSchedule", id);
        }

        return schedule;
    }

    private async Task<Deployment> VisibleDeploymentAsync(Caller caller, string deploymentId, CancellationToken cancellationToken) =>
        caller.Visible(await store.GetDeploymentAsync(caller.Tenant, deploymentId, cancellationToken))
            ?? throw ResourceIds.NotFound("Deployment", deploymentId);

    private static void RequireWorkflow(Deployment deployment, string workflowId)
    {
        if (deployment.Workflows[workflowId] is not JsonObject)
        {
            throw new StratusException(ErrorCodes.NonexistentWorkflow, 400, $"Workflow {workflowId} does not exist in deployment {deployment.Id}");
        }
    }

    private static string RequireDeploymentId(string? deploymentId) =>
        string.IsNullOrEmpty(deploymentId)
            ? throw StratusException.BadParameters("Missing required parameter in the query string: deployment_id")
            : deploymentId;

    private static DateTimeOffset? OptionalTime(JsonObject body, string name) =>
        Wire.GetString(body, name) is { Length: > 0 } text ? ScheduleTimes.ParseScheduleTime(text) : null;

    private static int? Slip(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var minutes) && minutes >= 0 => minutes,
        _ => throw StratusException.BadParameters($"slip must be a non-negative number of minutes, got {node.ToJsonString()}"),
    };

    /// <summary>Cloudify's normalized <c>execution_arguments</c>: {allow_custom_parameters, force, is_dry_run, wait_after_fail}.</summary>
    private static JsonObject ExecutionArguments(JsonNode? node)
    {
        if (node is null || (node is JsonObject { Count: 0 }))
        {
            return [];
        }

        if (node is not JsonObject arguments)
        {
            throw StratusException.BadParameters($"execution_arguments: expected a dict, but got: {node.ToJsonString()}");
        }

        return new JsonObject
        {
            ["allow_custom_parameters"] = Wire.ParseBool("allow_custom_parameters", arguments["allow_custom_parameters"], false),
            ["force"] = Wire.ParseBool("force", arguments["force"], false),
            ["is_dry_run"] = Wire.ParseBool("dry_run", arguments["dry_run"], false),
            ["wait_after_fail"] = arguments["wait_after_fail"]?.DeepClone() ?? 600,
        };
    }
}
