using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class PlanBuilder
{
    private static (JsonObject Instances, JsonObject Scalable) Scalable(YMap node, string name)
    {
        var instancesNode = node["instances"];
        var capabilitiesNode = node["capabilities"];
        if (instancesNode is not null && capabilitiesNode is not null)
        {
            throw instancesNode.Mark.Error(209, $"Node '{name}' declares both 'instances' and 'capabilities'; only one of them may be used");
        }

        JsonNode? deflt = 1L;
        JsonNode? min = 0L;
        JsonNode? max = -1L;
        var instances = new JsonObject();
        if (instancesNode is not null)
        {
            var map = Y.Map(instancesNode, $"instances of node '{name}'");
            Y.Keys(map, $"instances of node '{name}'", "deploy");
            if (map["deploy"] is { } deploy)
            {
                if (deploy is not YScalar { Value: long n } || n < 0)
                {
                    throw deploy.Mark.Error(1, $"deploy instances of node '{name}' must be a non-negative integer");
                }

                deflt = n;
                instances["deploy"] = n;
            }
        }

        if (capabilitiesNode is not null)
        {
            var caps = Y.Map(capabilitiesNode, $"capabilities of node '{name}'");
            Y.Keys(caps, $"capabilities of node '{name}'", "scalable");
            if (caps["scalable"] is { } scalableNode)
            {
                var scalable = Y.Map(scalableNode, $"scalable of node '{name}'");
                Y.Keys(scalable, $"scalable of node '{name}'", "properties");
                var props = Y.MapOrEmpty(scalable["properties"], $"scalable properties of node '{name}'", scalable.Mark);
                Y.Keys(props, $"scalable properties of node '{name}'", "default_instances", "min_instances", "max_instances");
                deflt = Count(props["default_instances"], name) ?? deflt;
                min = Count(props["min_instances"], name) ?? min;
                max = Count(props["max_instances"], name, allowUnbounded: true) ?? max;
                ValidateCounts(deflt, min, max, name, props.Mark);
            }
        }

        var properties = new JsonObject
        {
            ["default_instances"] = deflt,
            ["min_instances"] = min,
            ["max_instances"] = max,
            ["current_instances"] = deflt?.DeepClone(),
            ["planned_instances"] = deflt?.DeepClone(),
        };
        return (instances, properties);
    }

    private static JsonNode? Count(YNode? node, string name, bool allowUnbounded = false)
    {
        switch (node)
        {
            case null:
                return null;
            case YScalar { Value: long n } when allowUnbounded ? n >= 1 || n == -1 : n >= 0:
                return n;
            case YScalar { Value: long } when allowUnbounded:
                throw node.Mark.Error(207, $"max_instances of '{name}' should be a positive value (or -1, UNBOUNDED), found '{((YScalar)node).Text}'");
            case YScalar { Value: long }:
                throw node.Mark.Error(207, $"Instance counts of '{name}' should be non negative values, found '{((YScalar)node).Text}'");
            case YScalar { Value: string s } when allowUnbounded:
                return s == "UNBOUNDED"
                    ? -1L
                    : throw node.Mark.Error(208, $"The only allowed string value for max_instances of node '{name}' is 'UNBOUNDED', found '{s}'");
            case YMap map:
                var json = map.ToJson();
                return IntrinsicFunctions.IsFunction(json)
                    ? json
                    : throw node.Mark.Error(210, $"Instance counts of node '{name}' must be integers or intrinsic functions, found a dict");
            default:
                throw node.Mark.Error(1, $"Instance counts of node '{name}' must be non-negative integers, found '{(node as YScalar)?.Text ?? node.KindName}'");
        }
    }

    internal static void ValidateCounts(JsonNode? deflt, JsonNode? min, JsonNode? max, string name, Mark mark)
    {
        if (deflt is not JsonValue dv || min is not JsonValue mv || max is not JsonValue xv)
        {
            return;
        }

        var d = dv.GetValue<long>();
        var lo = mv.GetValue<long>();
        var hi = xv.GetValue<long>();
        if (d < lo)
        {
            throw mark.Error(207, $"default_instances ({d}) of '{name}' is smaller than min_instances ({lo})");
        }

        if (hi != -1 && d > hi)
        {
            throw mark.Error(207, $"default_instances ({d}) of '{name}' is greater than max_instances ({hi})");
        }

        if (hi != -1 && lo > hi)
        {
            throw mark.Error(207, $"min_instances ({lo}) of '{name}' is greater than max_instances ({hi})");
        }
    }
}
