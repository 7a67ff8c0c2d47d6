using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stratus.Agent.Manager;

namespace Stratus.Agent.Ctx;

/// <summary>
/// Sends an operation's logs and events to the manager (<c>POST /events</c>) in batches: a batch leaves when it is
/// full or when its first line has waited <c>flushInterval</c>. Every line carries an idempotency key, so a batch
/// that failed (the manager, its database or broker restarting) is resent until stored, or until
/// <see cref="RetryFor"/> has passed; the manager stores each line once. A failed post never fails the operation.
/// </summary>
internal sealed partial class OperationLog : IAsyncDisposable
{
    private const int MaxBatch = 100;

    /// <summary>How long a batch is retried before it is given up (the manager is gone for good).</summary>
    public static readonly TimeSpan RetryFor = RetryWithBackoff.GiveUpAfter;

    private readonly IManagerApi _api;
    private readonly JsonObject _context;
    private readonly TimeProvider _time;
    private readonly TimeSpan _flushInterval;
    private readonly ILogger _logger;
    // Not SingleReader: that variant cannot report Count, which decides whether a full batch leaves at once.
    private readonly Channel<(bool IsEvent, JsonObject Item)> _pending = Channel.CreateUnbounded<(bool, JsonObject)>();
    private readonly TaskCompletionSource _closing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _sender;
    private TaskCompletionSource _full = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OperationLog(IManagerApi api, JsonObject context, TimeProvider time, TimeSpan flushInterval, ILogger logger)
    {
        _api = api;
        _context = context;
        _time = time;
        _flushInterval = flushInterval;
        _logger = logger;
        _sender = Task.Run(SendLoopAsync);
    }

    public void Log(string level, string text) => Enqueue(false, new JsonObject
    {
        ["context"] = _context.DeepClone(),
        ["logger"] = "ctx",
        ["level"] = level,
        ["message"] = new JsonObject { ["text"] = text },
        ["timestamp"] = Timestamp(),
        ["message_code"] = null,
        ["type"] = "cloudify_log",
        ["idempotency_key"] = Guid.NewGuid().ToString("N"),
    });

    public void Event(string eventType, string text) => Enqueue(true, new JsonObject
    {
        ["event_type"] = eventType,
        ["context"] = _context.DeepClone(),
        ["message"] = new JsonObject { ["text"] = text, ["arguments"] = null },
        ["timestamp"] = Timestamp(),
        ["message_code"] = null,
        ["type"] = "cloudify_event",
        ["idempotency_key"] = Guid.NewGuid().ToString("N"),
    });

    /// <summary>Sends everything logged so far and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _closing.TrySetResult();
        _pending.Writer.TryComplete();
        await _sender;
    }

    private void Enqueue(bool isEvent, JsonObject item)
    {
        _pending.Writer.TryWrite((isEvent, item));
        if (_pending.Reader.Count >= MaxBatch)
        {
            Volatile.Read(ref _full).TrySetResult();
        }
    }

    private string Timestamp() =>
        _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async Task SendLoopAsync()
    {
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync())
        {
            var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _full, full);
            if (!_closing.Task.IsCompleted && reader.Count < MaxBatch)
            {
                using var wait = new CancellationTokenSource();
                var delay = Task.Delay(_flushInterval, _time, wait.Token);
                await Task.WhenAny(delay, _closing.Task, full.Task);
                await wait.CancelAsync();
            }

            List<JsonObject> events = [];
            List<JsonObject> logs = [];
            while (events.Count + logs.Count < MaxBatch && reader.TryRead(out var item))
            {
                (item.IsEvent ? events : logs).Add(item.Item);
            }

            await PostAsync(events, logs);
        }
    }

    private async Task PostAsync(List<JsonObject> events, List<JsonObject> logs)
    {
        try
        {
            await RetryWithBackoff.RunAsync(
                _time,
                ct => _api.PostEventsAsync(events, logs, ct),
                // A refusal (4xx: the execution is gone, the token expired) will not change; anything else may be the
                // manager restarting, and the keys make the resend harmless.
                ex => ex is not ManagerApiException { Status: >= System.Net.HttpStatusCode.BadRequest and < System.Net.HttpStatusCode.InternalServerError },
                (ex, _) => LogPostRetried(_logger, events.Count + logs.Count, ex.Message),
                CancellationToken.None);
        }
#pragma warning disable CA1031 // Logs are best effort: losing a batch must not fail the operation; it was retried first.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPostFailed(_logger, events.Count + logs.Count, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resending {Count} operation log lines: {Reason}")]
    private static partial void LogPostRetried(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {Count} operation log lines to the manager: {Reason}")]
    private static partial void LogPostFailed(ILogger logger, int count, string reason);
}
