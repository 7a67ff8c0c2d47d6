using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>An execution schedule, from <c>/execution-schedules</c>.</summary>
public sealed record ExecutionSchedule
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("deployment_id")]
    public string? DeploymentId { get; init; }

    [JsonPropertyName("workflow_id")]
    public string? WorkflowId { get; init; }

    [JsonPropertyName("created_at")]
    public string? CreatedAt { get; init; }

    [JsonPropertyName("next_occurrence")]
    public string? NextOccurrence { get; init; }

    [JsonPropertyName("since")]
    public string? Since { get; init; }

    [JsonPropertyName("until")]
    public string? Until { get; init; }

    [JsonPropertyName("rule")]
    public JsonObject? Rule { get; init; }

    [JsonPropertyName("slip")]
    public int Slip { get; init; }

    [JsonPropertyName("stop_on_fail")]
    public bool StopOnFail { get; init; }

    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    [JsonPropertyName("parameters")]
    public JsonObject? Parameters { get; init; }

    [JsonPropertyName("all_next_occurrences")]
    public IReadOnlyList<string>? AllNextOccurrences { get; init; }

    [JsonPropertyName("latest_execution_status")]
    public string? LatestExecutionStatus { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }
}
