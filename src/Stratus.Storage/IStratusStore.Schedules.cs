using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// Inserts a schedule. <c>not_found_error</c> when the deployment is missing, <c>conflict_error</c> when the
    /// deployment already has a schedule with this id.
    /// </summary>
    Task InsertExecutionScheduleAsync(ExecutionSchedule schedule, CancellationToken cancellationToken = default);

    Task<ExecutionSchedule?> GetExecutionScheduleAsync(string tenantName, string deploymentId, string id, CancellationToken cancellationToken = default);

    /// <summary>Filter/sort fields: id, deployment_id, workflow_id, created_at, next_occurrence, since, until, enabled, created_by; <c>_search</c> matches id.</summary>
    Task<Page<ExecutionSchedule>> ListExecutionSchedulesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Replaces the editable fields (workflow, times, rule, slip, flags, next occurrence). False when the schedule is gone.</summary>
    Task<bool> UpdateExecutionScheduleAsync(ExecutionSchedule schedule, CancellationToken cancellationToken = default);

    Task<bool> DeleteExecutionScheduleAsync(string tenantName, string deploymentId, string id, CancellationToken cancellationToken = default);

    /// <summary>Enabled schedules, across tenants, whose next occurrence is before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<ExecutionSchedule>> ListDueExecutionSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims one occurrence: moves <c>next_occurrence</c> from <paramref name="expectedNext"/> to
    /// <paramref name="next"/> (and sets <c>enabled</c>) only if it still is <paramref name="expectedNext"/>, so of two
    /// schedulers only one fires it. False when another claimed it first or the schedule changed.
    /// </summary>
    Task<bool> TryAdvanceExecutionScheduleAsync(
        ExecutionSchedule schedule, DateTimeOffset expectedNext, DateTimeOffset? next, bool enabled, CancellationToken cancellationToken = default);

    /// <summary>Records the execution a schedule started last.</summary>
    Task SetScheduleLatestExecutionAsync(ExecutionSchedule schedule, string executionId, CancellationToken cancellationToken = default);
}
