using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Stratus.Agent.Ctx;

/// <summary>
/// The subset of Jinja2 that resource templates use in practice: <c>{{ name.path }}</c> from the template variables
/// and <c>{{ ctx.node.properties.x }}</c> through the ctx grammar. Undefined names render empty, as in Jinja2.
/// </summary>
internal static partial class TemplateRenderer
{
    public static async Task<string> RenderAsync(
        string template,
        JsonObject? variables,
        CtxObject ctx,
        CancellationToken cancellationToken = default)
    {
        var builder = new StringBuilder();
        var last = 0;
        foreach (Match match in Expression().Matches(template))
        {
            builder.Append(template, last, match.Index - last);
            builder.Append(await EvaluateAsync(match.Groups[1].Value, variables, ctx, cancellationToken));
            last = match.Index + match.Length;
        }

        builder.Append(template, last, template.Length - last);
        return builder.ToString();
    }

    private static async Task<string> EvaluateAsync(
        string expression,
        JsonObject? variables,
        CtxObject ctx,
        CancellationToken cancellationToken)
    {
        var segments = expression.Split('.', StringSplitOptions.TrimEntries);
        try
        {
            if (segments[0] == "ctx")
            {
                var args = segments.Skip(1).Select(s => (JsonNode?)JsonValue.Create(s)).ToList();
                var result = CtxRequestProcessor.ToPayload(await CtxRequestProcessor.ProcessAsync(ctx, args, cancellationToken));
                return PythonFormat.Str(result);
            }

            JsonNode? current = variables;
            foreach (var segment in segments)
            {
                if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out current))
                {
                    return string.Empty;
                }
            }

            return PythonFormat.Str(current);
        }
        catch (CtxException)
        {
            return string.Empty;
        }
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_\-]*(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*\}\}")]
    private static partial Regex Expression();
}
