using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing.Namespaces;

/// <summary>
/// Which fields of each section's items take the namespace, mirroring the element schema of Cloudify's parser:
/// type names, derived_from, node and relationship targets, group members, policy targets, operation and workflow
/// mappings (and so script paths) are references; property values, operation inputs and output values only have
/// their intrinsic functions rewritten; names nested inside an item (properties, interfaces, parameters) stay.
/// </summary>
internal static class NamespaceRules
{
    private delegate YNode Rule(YNode node, string ns);

    private static readonly Rule Ref = Namespacer.Reference;
    private static readonly Rule Val = Namespacer.Value;

    private static readonly Rule InputSchema = Fields(("type", Ref), ("item_type", Ref), ("default", Val), ("constraints", Each(Val)));
    private static readonly Rule PropertySchema = Fields(("type", Ref), ("default", Val));
    private static readonly Rule Scalable = Fields(("min_instances", Ref), ("max_instances", Ref), ("default_instances", Ref));

    private static readonly Rule TypeOperation = Either(Ref, Fields(
        ("implementation", Ref), ("inputs", Values(InputSchema)), ("max_retries", Ref), ("retry_interval", Ref),
        ("timeout", Ref), ("timeout_recoverable", Ref)));

    private static readonly Rule TemplateOperation = Either(Ref, Fields(
        ("implementation", Ref), ("inputs", Val), ("max_retries", Ref), ("retry_interval", Ref), ("timeout", Ref),
        ("timeout_recoverable", Ref)));

    private static readonly Rule TypeInterfaces = Values(Values(TypeOperation));
    private static readonly Rule TemplateInterfaces = Values(Values(TemplateOperation));

    private static readonly Dictionary<string, Rule> Sections = new(StringComparer.Ordinal)
    {
        ["inputs"] = InputSchema,
        ["plugins"] = Fields(("properties", KeysAndValues(Fields(("type", Ref))))),
        ["node_types"] = Fields(
            ("derived_from", Ref), ("interfaces", TypeInterfaces), ("properties", Values(PropertySchema)),
            ("runtime_properties", Values(PropertySchema))),
        ["relationships"] = Fields(
            ("derived_from", Ref), ("properties", Values(PropertySchema)), ("source_interfaces", TypeInterfaces),
            ("target_interfaces", TypeInterfaces)),
        ["node_templates"] = Fields(
            ("type", Ref), ("instances", Fields(("deploy", Ref))),
            ("capabilities", Fields(("scalable", Fields(("properties", Scalable))))),
            ("interfaces", TemplateInterfaces), ("properties", Ref),
            ("relationships", Each(Fields(
                ("type", Ref), ("target", Ref), ("properties", Ref), ("source_interfaces", TemplateInterfaces),
                ("target_interfaces", TemplateInterfaces))))),
        ["policy_types"] = Fields(("properties", Values(PropertySchema))),
        ["policy_triggers"] = Fields(("parameters", Values(PropertySchema))),
        ["groups"] = Fields(
            ("members", Each(Ref)),
            ("policies", KeysAndValues(Fields(
                ("type", Ref), ("properties", Ref),
                ("triggers", KeysAndValues(Fields(("type", Ref), ("parameters", Ref)))))))),
        ["policies"] = Fields(("type", Ref), ("properties", Scalable), ("targets", Each(Ref))),
        ["workflows"] = Either(Ref, Fields(("mapping", Ref), ("parameters", Values(InputSchema)))),
        ["outputs"] = Fields(("value", Ref)),
        ["capabilities"] = Fields(("value", Ref)),
        ["data_types"] = Fields(
            ("properties", Values(PropertySchema)), ("description", Ref), ("derived_from", Ref), ("version", Ref)),
        // Only a string tag takes the namespace; a mapping value stays as written (its element has no namespace).
        ["resource_tags"] = Either(Ref, (node, _) => node),
    };

    /// <summary>An item of <paramref name="section"/> as it reads under namespace <paramref name="ns"/>.</summary>
    public static YNode Item(string section, YNode value, string ns) =>
        Sections.TryGetValue(section, out var rule) ? rule(value, ns) : value;

    private static Rule Fields(params (string Key, Rule Rule)[] fields) => (node, ns) =>
    {
        if (node is not YMap map)
        {
            return node;
        }

        var entries = new List<KeyValuePair<YScalar, YNode>>(map.Count);
        foreach (var (key, value) in map.Entries)
        {
            var rule = Array.Find(fields, f => f.Key == key.Text).Rule;
            entries.Add(new(key, rule is null ? value : rule(value, ns)));
        }

        return new YMap(map.Mark, entries);
    };

    /// <summary>A mapping of names local to the item (properties, interfaces, parameters): only the values change.</summary>
    private static Rule Values(Rule inner) => (node, ns) => node is YMap map
        ? new YMap(map.Mark, map.Entries.Select(e => new KeyValuePair<YScalar, YNode>(e.Key, inner(e.Value, ns))).ToList())
        : node;

    /// <summary>A mapping whose names are visible outside the item (group policies and triggers): names change too.</summary>
    private static Rule KeysAndValues(Rule inner) => (node, ns) => node is YMap map
        ? new YMap(map.Mark, map.Entries.Select(e => new KeyValuePair<YScalar, YNode>(Namespacer.Key(e.Key, ns), inner(e.Value, ns))).ToList())
        : node;

    private static Rule Each(Rule inner) => (node, ns) => node is YSeq seq
        ? new YSeq(seq.Mark, seq.Items.Select(i => inner(i, ns)).ToList())
        : node;

    /// <summary>A field written either as a string (a reference) or as a mapping of fields.</summary>
    private static Rule Either(Rule whenScalar, Rule whenMap) => (node, ns) => node is YMap ? whenMap(node, ns) : whenScalar(node, ns);
}
