using System.Text.Json.Nodes;

namespace Stratus.Agent.Ctx;

/// <summary>What a script asked for through <c>ctx returns</c>, <c>abort-operation</c> or <c>retry-operation</c>.</summary>
internal sealed class ScriptOutcome
{
    public const string OnlyOnceMessage = "ctx may only abort or return once";

    private readonly Lock _gate = new();
    private bool _decided;

    public JsonNode? ReturnValue { get; private set; }

    public string? AbortMessage { get; private set; }

    public bool Aborted { get; private set; }

    public bool RetryRequested { get; private set; }

    public string? RetryMessage { get; private set; }

    public double? RetryAfter { get; private set; }

    /// <summary>Set when a script decided twice; the operation then fails without retry.</summary>
    public bool DecidedTwice { get; private set; }

    public void Return(JsonNode? value)
    {
        lock (_gate)
        {
            Decide();
            ReturnValue = value?.DeepClone();
            _decided = value is not null;
        }
    }

    public void Abort(string? message)
    {
        lock (_gate)
        {
            Decide();
            Aborted = true;
            AbortMessage = message;
            _decided = true;
        }
    }

    public void Retry(string? message, double? retryAfter)
    {
        lock (_gate)
        {
            Decide();
            RetryRequested = true;
            RetryMessage = message;
            RetryAfter = retryAfter;
            _decided = true;
        }
    }

    private void Decide()
    {
        if (_decided)
        {
            DecidedTwice = true;
            throw new CtxException(OnlyOnceMessage);
        }
    }
}
