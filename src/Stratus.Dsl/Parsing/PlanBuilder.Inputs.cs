using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class PlanBuilder
{
    private static readonly string[] InputKeys =
        ["type", "default", "description", "required", "constraints", "display_label", "hidden", "item_type", "display"];

    private JsonObject BuildInputs()
    {
        var result = new JsonObject();
        if (_errors.Collecting)
        {
            _inputNames.UnionWith(_source.Section("inputs").Select(e => e.Name));
        }

        foreach (var entry in _source.Section("inputs"))
        {
            _errors.Run("inputs", entry.Name, () =>
            {
                ThrowIfInputUsesFailedDataType(entry);
                BuildInput(entry, result);
            });
        }

        return result;
    }

    private void BuildInput(SectionEntry entry, JsonObject result)
    {
        var what = $"input '{entry.Name}'";
        var map = Y.MapOrEmpty(entry.Value, what, entry.Key.Mark);
        Y.Keys(map, what, InputKeys);
        _inputNames.Add(entry.Name);
        var type = Y.OptionalString(map, "type", $"type of {what}");
        if (type is not null && !ValueTyper.IsKnownType(type, _dataTypes))
        {
            throw map["type"]!.Mark.Error(103, $"Illegal type name '{type}' of {what}");
        }

        if (map["item_type"] is { } itemType)
        {
            if (type != "list")
            {
                throw itemType.Mark.Error(218, $"Property item_type defined for unsupported type: '{type}' ({what}); it is only valid for type 'list'");
            }

            var itemTypeName = Y.String(itemType, $"item_type of {what}");
            if (Array.IndexOf(ValueTyper.PrimitiveTypes, itemTypeName) < 0)
            {
                throw itemType.Mark.Error(217, $"Illegal item_type '{itemTypeName}'");
            }
        }

        if (map["display"] is { } display && type != "textarea")
        {
            throw display.Mark.Error(216, $"`display` property defined for unsupported input type ({type}) for input `{entry.Name}`.");
        }

        var required = Y.OptionalBool(map, "required", $"required of {what}");
        var hidden = Y.OptionalBool(map, "hidden", $"hidden of {what}");
        if (hidden == true && required != false && !map.ContainsKey("default"))
        {
            throw entry.Key.Mark.Error(215, $"Input '{entry.Name}' is hidden and required but has no default value");
        }

        var constraintsNode = map["constraints"];
        if (constraintsNode is not null and not YScalar { IsNull: true })
        {
            Constraints.ValidateDefinition(constraintsNode, entry.Name);
        }

        var json = (JsonObject)map.ToJson()!;
        if (map["default"] is { } defaultNode)
        {
            var defaultValue = json["default"];
            if (IntrinsicFunctions.ContainsFunctions(defaultValue))
            {
                if (json["constraints"] is JsonArray { Count: > 0 })
                {
                    throw defaultNode.Mark.Error(213, $"Input '{entry.Name}' has a function as its default value and constraints");
                }
            }
            else
            {
                try
                {
                    json["default"] = ValueTyper.Parse(defaultValue?.DeepClone(), type, _dataTypes, entry.Name, entry.Name);
                }
                catch (DslParseException ex)
                {
                    throw defaultNode.Mark.Error(ex.DslErrorCode, ex.Message);
                }

                try
                {
                    // A violated constraint is Cloudify's ConstraintException, not a DSL error: code 0.
                    if (Constraints.Violation(json, defaultValue, entry.Name) is { } violation)
                    {
                        throw defaultNode.Mark.Error(0, violation);
                    }
                }
                catch (DslParseException ex) when (ex.Line == 0)
                {
                    throw defaultNode.Mark.Error(ex.DslErrorCode, ex.Message);
                }
            }

            // Cloudify's default check pops error_message out of the plan's constraints.
            foreach (var constraint in (json["constraints"] as JsonArray ?? []).OfType<JsonObject>())
            {
                constraint.Remove("error_message");
            }
        }

        result[entry.Name] = json;
    }
}
