using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>
/// Features newer than the blueprint's <c>tosca_definitions_version</c> are refused (error 102), as Cloudify's
/// parser does element by element; the built-in types are exempt.
/// </summary>
internal static class VersionGates
{
    private static readonly (string Key, int Minor)[] TopLevel =
        [("description", 2), ("dsl_definitions", 2), ("data_types", 2), ("policies", 3), ("resource_tags", 3)];

    private static readonly (string Key, int Minor)[] PluginKeys =
    [
        ("install_arguments", 1), ("package_name", 2), ("package_version", 2), ("supported_platform", 2),
        ("distribution", 2), ("distribution_version", 2), ("distribution_release", 2), ("properties", 5),
        ("properties_description", 5),
    ];

    public static void CheckFile(YMap root, DslVersion version)
    {
        foreach (var (key, minor) in TopLevel)
        {
            Require(root.KeyNode(key), key, version, minor);
        }
    }

    public static void Check(BlueprintSource source)
    {
        var version = source.Version;
        if (version.AtLeast(1, 5))
        {
            return;
        }

        foreach (var entry in Own(source, "plugins"))
        {
            if (entry.Value is YMap plugin)
            {
                foreach (var (key, minor) in PluginKeys)
                {
                    Require(plugin.KeyNode(key), key, version, minor);
                }
            }
        }

        foreach (var entry in Own(source, "inputs"))
        {
            if (entry.Value is YMap input)
            {
                RequireType(input["type"], version);
                Require(input.KeyNode("display_label"), "display_label", version, 3);
                Require(input.KeyNode("hidden"), "hidden", version, 3);
                Require(input.KeyNode("item_type"), "item_type", version, 4);
                if (input["constraints"] is YSeq constraints)
                {
                    foreach (var constraint in constraints.Items.OfType<YMap>())
                    {
                        if (constraint.Count > 1)
                        {
                            throw constraint.Mark.Error(
                                102, $"Constraint's additional attributes are not supported in version {version.Raw}, they were added in cloudify_dsl_1_5");
                        }
                    }
                }
            }
        }

        foreach (var section in new[] { "node_types", "relationships" })
        {
            foreach (var entry in Own(source, section))
            {
                if (entry.Value is not YMap type)
                {
                    continue;
                }

                Require(type.KeyNode("runtime_properties"), "runtime_properties", version, 5);
                CheckSchema(type["properties"], version);
                foreach (var key in new[] { "interfaces", "source_interfaces", "target_interfaces" })
                {
                    CheckInterfaces(type[key], version);
                }
            }
        }

        foreach (var entry in Own(source, "node_templates"))
        {
            if (entry.Value is not YMap node)
            {
                continue;
            }

            Require(node.KeyNode("capabilities"), "capabilities", version, 3);
            CheckInterfaces(node["interfaces"], version);
            if (node["relationships"] is YSeq relationships)
            {
                foreach (var rel in relationships.Items.OfType<YMap>())
                {
                    CheckInterfaces(rel["source_interfaces"], version);
                    CheckInterfaces(rel["target_interfaces"], version);
                }
            }
        }

        foreach (var entry in Own(source, "workflows"))
        {
            if (entry.Value is YMap workflow)
            {
                Require(workflow.KeyNode("availability_rules"), "availability_rules", version, 4);
            }
        }

        foreach (var entry in Own(source, "data_types"))
        {
            if (entry.Value is YMap dataType)
            {
                CheckSchema(dataType["properties"], version);
            }
        }
    }

    private static IEnumerable<SectionEntry> Own(BlueprintSource source, string section) =>
        source.Section(section).Where(e => !e.BuiltIn && !source.IsPluginFile(e.Key.Mark.File));

    private static void CheckSchema(YNode? properties, DslVersion version)
    {
        if (properties is not YMap map)
        {
            return;
        }

        foreach (var (_, schema) in map.Entries)
        {
            if (schema is YMap property)
            {
                RequireType(property["type"], version);
                Require(property.KeyNode("required"), "required", version, 2);
                Require(property.KeyNode("display_label"), "display_label", version, 3);
                Require(property.KeyNode("hidden"), "hidden", version, 3);
            }
        }
    }

    private static void CheckInterfaces(YNode? interfaces, DslVersion version)
    {
        if (interfaces is not YMap map)
        {
            return;
        }

        foreach (var (_, iface) in map.Entries)
        {
            if (iface is not YMap ops)
            {
                continue;
            }

            foreach (var (_, op) in ops.Entries)
            {
                if (op is YMap operation)
                {
                    Require(operation.KeyNode("max_retries"), "max_retries", version, 1);
                    Require(operation.KeyNode("retry_interval"), "retry_interval", version, 1);
                }
            }
        }
    }

    private static void RequireType(YNode? type, DslVersion version)
    {
        if (type is not YScalar { Value: string name })
        {
            return;
        }

        var minor = name switch
        {
            "blueprint_id" or "deployment_id" or "capability_value" or "scaling_group" or "node_id" or "node_type"
                or "node_instance" or "secret_key" => 4,
            "operation_name" => 5,
            _ => 0,
        };
        if (!version.AtLeast(1, minor))
        {
            throw type.Mark.Error(102, $"type '{name}' not supported in version {version.Raw}, it was added in cloudify_dsl_1_{minor}");
        }
    }

    private static void Require(YScalar? key, string feature, DslVersion version, int minor)
    {
        if (key is not null && !version.AtLeast(1, minor))
        {
            throw key.Mark.Error(102, $"{feature} not supported in version {version.Raw}, it was added in cloudify_dsl_1_{minor}");
        }
    }
}
