using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>labels, blueprint_labels and deployment_settings (Cloudify's elements/misc.py).</summary>
internal sealed partial class PlanBuilder
{
    private JsonObject BuildLabels(string section)
    {
        var forBlueprint = section == "blueprint_labels";
        var result = new JsonObject();
        foreach (var entry in _source.Section(section))
        {
            var what = $"{section[..^1]} '{entry.Name}'";
            var map = Y.Map(entry.Value, what);
            Y.Keys(map, what, "values");
            foreach (var value in Y.ListOf(Y.Required(map, "values", what), what).Items)
            {
                // Blueprint labels are set on upload, before any function can be evaluated; deployment labels on
                // deployment creation, before any runtime property exists.
                if (forBlueprint && value is not YScalar { Value: string })
                {
                    throw value.Mark.Error(1, $"The blueprint label's value must be a string. Please modify the values of {entry.Name}");
                }

                if (value is not (YMap or YScalar { Value: string }))
                {
                    throw value.Mark.Error(1, $"The label's value must be a string or an intrinsic function. Please modify the values of {entry.Name}");
                }

                if (value is YMap function && function["get_attribute"] is not null)
                {
                    throw value.Mark.Error(
                        1, $"The label's value cannot be a runtime property. Please remove the `get_attribute` function from the values of {entry.Name}");
                }
            }

            result[entry.Name] = map.ToJson();
        }

        return result;
    }

    private JsonObject BuildDeploymentSettings()
    {
        if (_source.DeploymentSettings is not { } node || node is YScalar { IsNull: true })
        {
            return [];
        }

        var map = Y.Map(node, "deployment_settings");
        Y.Keys(map, "deployment_settings", "default_schedules", "default_groups", "id_template", "display_name");
        if (map["default_groups"] is { } groups and not YScalar { IsNull: true })
        {
            Y.ListOf(groups, "deployment_settings.default_groups");
        }

        if (map["id_template"] is { } template and not YScalar { IsNull: true })
        {
            Y.String(template, "deployment_settings.id_template");
        }

        if (map["display_name"] is { } name and not (YScalar { IsNull: true } or YMap))
        {
            Y.String(name, "deployment_settings.display_name");
        }

        return (JsonObject)map.ToJson()!;
    }
}
