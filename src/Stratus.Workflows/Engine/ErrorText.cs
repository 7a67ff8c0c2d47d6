using Stratus.Core.Model;
using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

/// <summary>Cloudify's renderings of operation errors (task events and the workflow's error message).</summary>
internal static class ErrorText
{
    /// <summary>The causes line: <c>Type `message`</c> per cause, or of the exception itself.</summary>
    public static string Causes(JsonObject? error)
    {
        if (error is null)
        {
            return "";
        }

        var causes = (error["known_exception_type_kwargs"] as JsonObject)?["causes"] as JsonArray;
        if (causes is { Count: > 0 })
        {
            return string.Join('\n', causes.OfType<JsonObject>().Select(c => $"{GraphTask.Text(c, "type")} `{GraphTask.Text(c, "message")}`"));
        }

        return $"{GraphTask.Text(error, "exception_type")} `{GraphTask.Text(error, "message")}`";
    }

    /// <summary>The execution's error: "Task failed: ..." or "N operation errors: ...".</summary>
    public static string WorkflowError(IReadOnlyList<GraphTask> failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        if (failed.Count == 1)
        {
            return $"Task failed: {failed[0].ShortDescription}: {Causes(failed[0].Error)}";
        }

        return $"{failed.Count} operation errors:\n"
            + string.Join('\n', failed.Select(t => $"{t.ShortDescription}: {Causes(t.Error)}"));
    }

    /// <summary>Cloudify's task event text, e.g. "Task failed 'x' -> boom [retry 1/60]".</summary>
    public static string TaskEvent(GraphTask task, string state, string? detail)
    {
        ArgumentNullException.ThrowIfNull(task);
        var kind = task.Type == TaskTypes.Subgraph ? "Subgraph" : "Task";
        var message = state switch
        {
            OperationStates.Sending => $"Sending task '{task.Name}'",
            OperationStates.Started => $"{kind} started '{task.Name}'",
            OperationStates.Succeeded => $"{kind} succeeded '{task.Name}'",
            OperationStates.Rescheduled => $"{kind} rescheduled '{task.Name}'",
            _ => $"{kind} failed '{task.Name}'",
        };
        if (detail is not null)
        {
            message += state == OperationStates.Succeeded ? " - " + detail : " -> " + detail;
        }

        if (task.CurrentRetries > 0)
        {
            message += task.TotalRetries >= 0
                ? $" [retry {task.CurrentRetries}/{task.TotalRetries}]"
                : $" [retry {task.CurrentRetries}]";
        }

        return message;
    }

    public static JsonObject ToJson(TaskError error) => new()
    {
        ["exception_type"] = error.ExceptionType,
        ["message"] = error.Message,
        ["traceback"] = error.Traceback,
        ["known_exception_type"] = error.KnownExceptionType,
        ["known_exception_type_args"] = error.KnownExceptionTypeArgs?.DeepClone(),
        ["known_exception_type_kwargs"] = error.KnownExceptionTypeKwargs?.DeepClone(),
    };

    public static JsonObject NonRecoverable(string message) => new()
    {
        ["exception_type"] = TaskError.NonRecoverable,
        ["message"] = message,
        ["known_exception_type"] = TaskError.NonRecoverable,
        ["known_exception_type_args"] = new JsonArray(),
        ["known_exception_type_kwargs"] = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["message"] = message, ["type"] = TaskError.NonRecoverable }),
        },
    };
}
