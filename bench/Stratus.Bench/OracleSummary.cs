using System.Text.Json.Nodes;
using Stratus.Dsl;
using Stratus.Dsl.Tests;

namespace Stratus.Bench;

/// <summary>
/// <c>bench summarize</c>: for each line on stdin (blueprint, inputs JSON file or empty, output file, plugins folder,
/// tab-separated) writes the summary Cloudify's parse_blueprint.py prints, from Stratus's parser and planner, or
/// <c>{"error", "err_code", "message"}</c>; scripts/oracle/compare_public.py compares the two.
/// </summary>
internal static class OracleSummary
{
    public static async Task<int> RunAsync(TextReader input, CancellationToken cancellationToken)
    {
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            var parts = line.Split('\t');
            if (parts.Length < 4)
            {
                continue;
            }

            await File.WriteAllTextAsync(parts[2], Summarize(parts[0], parts[1], parts[3], cancellationToken).ToJsonString(), cancellationToken);
        }

        return 0;
    }

    private static JsonObject Summarize(string blueprint, string inputsFile, string plugins, CancellationToken cancellationToken)
    {
        try
        {
            var parser = new BlueprintParser
            {
                PluginResolver = spec =>
                {
                    var path = Path.Combine(plugins, spec.Split('?', 2)[0].Trim(), "plugin.yaml");
                    return File.Exists(path) ? path : null;
                },
            };
            var plan = parser.Parse(blueprint, cancellationToken).Plan;
            var inputs = inputsFile.Length == 0 ? null : JsonNode.Parse(File.ReadAllText(inputsFile))!.AsObject();
            var options = new PlannerOptions { SecretResolver = key => $"<secret:{key}>" };
            return CorpusSummary.Build(plan, DeploymentPlanner.Prepare(plan, inputs, options));
        }
        catch (DslParseException e)
        {
            return new JsonObject { ["error"] = nameof(DslParseException), ["err_code"] = e.DslErrorCode, ["message"] = e.Describe() };
        }
        catch (DeploymentPlanException e)
        {
            return new JsonObject { ["error"] = nameof(DeploymentPlanException), ["err_code"] = e.ErrorCode, ["message"] = e.Message };
        }
    }
}
