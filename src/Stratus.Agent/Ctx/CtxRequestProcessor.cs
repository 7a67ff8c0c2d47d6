using System.Text.Json.Nodes;

namespace Stratus.Agent.Ctx;

/// <summary>
/// Cloudify's ctx argument resolution: walk attributes (dashes match underscores); at a dict, the last argument reads
/// a path and one more argument sets it; at a callable, the remaining arguments are its arguments, a trailing JSON
/// object being keyword arguments.
/// </summary>
internal static class CtxRequestProcessor
{
    public static async Task<object?> ProcessAsync(
        CtxObject root,
        IReadOnlyList<JsonNode?> args,
        CancellationToken cancellationToken = default)
    {
        object? current = root;
        for (var index = 0; index < args.Count; index++)
        {
            var arg = args[index];
            if (current is CtxObject obj && arg is JsonValue value && value.TryGetValue<string>(out var name)
                && obj.TryGetAttribute(name, out var getter))
            {
                current = await getter(cancellationToken);
                continue;
            }

            if (current is CtxMapping mapping)
            {
                var path = arg is JsonValue pathValue && pathValue.TryGetValue<string>(out var text)
                    ? text
                    : throw new CtxException("AttributeError", $"'{arg?.GetValueKind()}' object has no attribute 'split'");
                if (index + 1 == args.Count)
                {
                    current = mapping.Get(path);
                }
                else if (index + 2 == args.Count)
                {
                    mapping.Set(path, args[index + 1]);
                    current = null;
                }
                else
                {
                    throw new CtxException("Illegal argument while accessing dict");
                }

                break;
            }

            if (current is CtxFunction function)
            {
                current = await InvokeAsync(function, args.Skip(index).ToList(), cancellationToken);
                break;
            }

            throw new CtxException($"{PythonFormat.Str(arg)} cannot be processed in {PythonFormat.Str(ToArray(args))}");
        }

        if (current is CtxFunction pending)
        {
            current = await pending([], null, cancellationToken);
        }

        return current;
    }

    /// <summary>The JSON payload of a result, or an error for what cannot be serialized.</summary>
    public static JsonNode? ToPayload(object? result) => result switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        CtxMapping mapping => mapping.Root.DeepClone(),
        string text => JsonValue.Create(text),
        CtxObject obj => throw new CtxException("TypeError", $"Object of type {obj.TypeName} is not JSON serializable"),
        _ => throw new CtxException("TypeError", $"Object of type {result.GetType().Name} is not JSON serializable"),
    };

    private static ValueTask<object?> InvokeAsync(
        CtxFunction function,
        List<JsonNode?> remaining,
        CancellationToken cancellationToken)
    {
        JsonObject? kwargs = null;
        if (remaining.Count > 0 && remaining[^1] is JsonObject last)
        {
            kwargs = last;
            remaining.RemoveAt(remaining.Count - 1);
        }

        return function(remaining, kwargs, cancellationToken);
    }

    private static JsonArray ToArray(IReadOnlyList<JsonNode?> args) => new([.. args.Select(a => a?.DeepClone())]);
}
